/** consensus emits no events of its own (the tx's "message" event names the update), as the SDK's x/consensus. */
export {};
