/**
 * auth's events. The keeper emits none; the ante (app/chain/ante.ts), which runs auth's checks,
 * emits the SDK's "tx" event with these attributes (acc_seq once per signer; fee, fee_payer and,
 * with a fee grant, fee_granter once per tx).
 */
export const EVENT_TX = "tx";
export const ATTR_ACC_SEQ = "acc_seq";
export const ATTR_FEE = "fee";
export const ATTR_FEE_PAYER = "fee_payer";
export const ATTR_FEE_GRANTER = "fee_granter";
