import type { Event } from "cosmjs-types/tendermint/abci/types";

/** The one event builder: attributes are indexed so that tx_search and relayers can find them. */
export function event(type: string, attributes: Record<string, string>): Event {
  return { type, attributes: Object.entries(attributes).map(([key, value]) => ({ key, value, index: true })) };
}

/** Events emitted while handling a tx or a block, in order. */
export class EventManager {
  readonly events: Event[] = [];

  /** `on` false: nobody will read the events (CheckTx answers without them), so none are kept. */
  constructor(readonly on = true) {}

  emit(type: string, attributes: Record<string, string>): void {
    if (this.on) this.events.push(event(type, attributes));
  }
}
