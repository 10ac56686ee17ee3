// Runs a governance-only message as the gov module will run a passed proposal's messages: through
// the app's message router (decode and stateless checks), then executed in a branch of the block
// being built, kept only if it succeeds. The next FinalizeBlock (run(c, [])) then carries the
// change, as if the message had run in that block.
import type { EncodeObject } from "@cosmjs/proto-signing";
import type { MiraApp } from "../../app/chain/app";
import { GOV_AUTHORITY } from "../../app/chain/modules";
import { bech32Address } from "../../app/core/address";
import { Context } from "../../app/core/context";
import { ChainError } from "../../app/core/errors";
import { infiniteGasMeter } from "../../app/core/gas";
import { registry } from "./app-driver";

/** The gov module account's address: the one authority of every MsgUpdateParams. */
export const GOV_ADDRESS = bech32Address(GOV_AUTHORITY);

export interface ExecOutcome {
  code: number;
  codespace: string;
  log: string;
}

/**
 * Runs `msg` at the next height in the app's working state, with `signer` (the gov module account
 * unless told otherwise) as the one signer the message must name: code 0 and its writes kept, or
 * the chain error's code and nothing written.
 */
export function execAs(app: MiraApp, msg: EncodeObject, signer = GOV_ADDRESS): ExecOutcome {
  const height = BigInt(app.store.version + 1);
  const branch = app.store.working.branch();
  try {
    const routed = app.msgs.route(registry().encodeAsAny(msg));
    const signers = routed.handler.signers(routed.msg).map((s) => bech32Address(s));
    if (signers.length !== 1 || signers[0] !== signer) throw new Error(`the message names signers ${signers.join(",")}, not ${signer}`);
    const blockTimeMs = (1_700_000_000n + height * 5n) * 1000n; // the driver's block time for this height
    const ctx = new Context(branch, height, blockTimeMs, app.committedContext().chainId, infiniteGasMeter(), "deliver");
    routed.handler.execute(ctx, routed.msg);
    branch.write();
    return { code: 0, codespace: "", log: "" };
  } catch (err) {
    branch.discard();
    if (err instanceof ChainError) return { code: err.code, codespace: err.codespace, log: err.message };
    throw err;
  }
}
