/** Every event mint emits, with its attribute keys, in emission order of attributes. */

/** mint {inflation, annual_provisions, amount}: a block's share of the yearly inflation was minted. */
export const EVENT_MINT = "mint";

export const ATTR_INFLATION = "inflation";
export const ATTR_ANNUAL_PROVISIONS = "annual_provisions";
export const ATTR_AMOUNT = "amount";
