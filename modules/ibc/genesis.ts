// IBC's genesis section (Mira's own shape, not ibc-go's full GenesisState): the client parameters. Clients,
// connections and channels are created by relayers after genesis.
import type { Context } from "../../app/core/context";
import { ClientCode, clientError } from "./errors";
import { DEFAULT_CLIENT_PARAMS, type IbcKeeper } from "./keeper";

export interface IbcGenesis {
  /** Client types that may be created, e.g. ["07-tendermint"] (the only one built). */
  allowed_clients?: string[];
}

export function initIbcGenesis(ctx: Context, ibc: IbcKeeper, genesis: IbcGenesis | undefined): void {
  const allowed = genesis?.allowed_clients ?? DEFAULT_CLIENT_PARAMS.allowedClients;
  if (!Array.isArray(allowed) || allowed.some((t) => typeof t !== "string")) {
    throw clientError(ClientCode.InvalidClientType, "ibc.allowed_clients must be a list of client types");
  }
  ibc.setClientParams(ctx, { allowedClients: allowed });
}
