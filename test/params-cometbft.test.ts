// Consensus params changed by governance reach a real CometBFT: a one-validator chain (CometBFT as
// a process, MiraApp in this process behind the ABCI server) runs a cosmos.consensus.v1
// MsgUpdateParams as the gov module account (as a passed proposal will); CometBFT accepts the
// block's consensus_param_updates, reports the new block size from the next height on, and the
// chain goes on making blocks.
import fs from "node:fs";
import path from "node:path";
import t from "tap";
import { editGenesis, freePort, initHome, rpc, setConfig, startNode, waitForHeight } from "../app/cli/cometbft";
import { runNode } from "../app/chain/node";
import { StoreError } from "../app/store";
import { execAs, GOV_ADDRESS } from "./helpers/authority";
import { wallet } from "./helpers/app-driver";
import { MNEMONICS } from "./helpers/chain";
import { gentx } from "./helpers/staking";
import { tempDir } from "./helpers/tmp";

const CHAIN_ID = "mira-params-1";

interface ConsensusParamsResult {
  block_height: string;
  consensus_params: { block: { max_bytes: string; max_gas: string }; abci: { vote_extensions_enable_height: string } };
}

t.test("CometBFT applies the consensus params a block changed, from the next height", async (t) => {
  const dir = tempDir(t, "mira-params-comet-");
  const [p2p, rpcPort, abciPort] = [await freePort(), await freePort(), await freePort()];
  const rpcUrl = `http://127.0.0.1:${rpcPort}`;
  const cometHome = path.join(dir, "cometbft");
  initHome(cometHome);
  const key = JSON.parse(fs.readFileSync(path.join(cometHome, "config", "priv_validator_key.json"), "utf8")) as { pub_key: { value: string } };
  const operator = await wallet(MNEMONICS[0]!);
  const gen = await gentx(operator, Buffer.from(key.pub_key.value, "base64"), "100000000", CHAIN_ID, "solo");
  editGenesis(cometHome, (g) => {
    g["chain_id"] = CHAIN_ID;
    g["validators"] = []; // InitChain returns the gentx's validator
    g["app_state"] = {
      auth: { min_gas_price: "0.025umira", accounts: [] },
      bank: { balances: [{ address: operator.address, coins: [{ denom: "umira", amount: "1000000000000" }] }] },
      staking: { params: { unbonding_time: "60s", max_validators: 100, bond_denom: "umira" } },
      genutil: { gen_txs: [gen] },
    };
  });
  setConfig(cometHome, {
    "": { proxy_app: `"tcp://127.0.0.1:${abciPort}"`, moniker: `"solo"`, log_level: `"error"` },
    rpc: { laddr: `"tcp://127.0.0.1:${rpcPort}"` },
    p2p: { laddr: `"tcp://127.0.0.1:${p2p}"` },
    consensus: { timeout_commit: `"200ms"` },
  });
  const node = await runNode({ home: path.join(dir, "app"), abciAddress: `tcp://127.0.0.1:${abciPort}`, cometRpcUrl: rpcUrl, log: () => undefined });
  const comet = startNode(cometHome, path.join(dir, "cometbft.log"));
  t.teardown(async () => {
    const exited = new Promise<void>((resolve) => comet.once("exit", () => resolve()));
    comet.kill("SIGTERM");
    await exited;
    await node.close();
  });
  // At a height below the newest: CometBFT saves a block a moment before the state that holds its params.
  const before = await rpc<ConsensusParamsResult>(rpcUrl, "consensus_params", { height: String((await waitForHeight(rpcUrl, 3)) - 1) });
  t.not(before.consensus_params.block.max_bytes, "2000000");

  // Between two ABCI calls, run the update as the gov module account in the block being built
  // (between FinalizeBlock and Commit the working state is sealed: try again a moment later).
  const update = {
    typeUrl: "/cosmos.consensus.v1.MsgUpdateParams",
    value: {
      authority: GOV_ADDRESS,
      block: { maxBytes: 2_000_000n, maxGas: 80_000_000n },
      evidence: { maxAgeNumBlocks: 100_000n, maxAgeDuration: { seconds: 172_800n, nanos: 0 }, maxBytes: 1_048_576n },
      validator: { pubKeyTypes: ["ed25519"] },
    },
  };
  let out: ReturnType<typeof execAs> | undefined;
  for (let tries = 0; out === undefined && tries < 200; tries++) {
    try {
      out = execAs(node.app, update);
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  t.equal(out?.code, 0, out?.log ?? "no answer");
  const changedAt = node.app.store.version + 1;
  await waitForHeight(rpcUrl, changedAt + 3);
  const after = await rpc<ConsensusParamsResult>(rpcUrl, "consensus_params", { height: String(changedAt + 1) });
  t.equal(after.consensus_params.block.max_bytes, "2000000", "CometBFT runs the next height with the new block size");
  t.equal(after.consensus_params.block.max_gas, "80000000");
  t.equal(after.consensus_params.abci.vote_extensions_enable_height, before.consensus_params.abci.vote_extensions_enable_height, "abci untouched");
  const at = await rpc<ConsensusParamsResult>(rpcUrl, "consensus_params", { height: String(changedAt) });
  t.equal(at.consensus_params.block.max_bytes, before.consensus_params.block.max_bytes, "the block that changed them ran under the old ones");
  t.ok((await waitForHeight(rpcUrl, changedAt + 5)) >= changedAt + 5, "the chain goes on");

  // Vote extensions switched on by governance a few heights ahead: CometBFT asks for extensions from
  // that height, the app expects the extended commit in every proposal after it, and blocks go on.
  t.equal(before.consensus_params.abci.vote_extensions_enable_height, "0", "extensions start off");
  let on: ReturnType<typeof execAs> | undefined;
  let enableAt = 0;
  for (let tries = 0; on === undefined && tries < 200; tries++) {
    try {
      enableAt = node.app.store.version + 4;
      on = execAs(node.app, { ...update, value: { ...update.value, abci: { voteExtensionsEnableHeight: BigInt(enableAt) } } });
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  t.equal(on?.code, 0, on?.log ?? "no answer");
  await waitForHeight(rpcUrl, enableAt + 4);
  const withExtensions = await rpc<ConsensusParamsResult>(rpcUrl, "consensus_params", { height: String(enableAt + 1) });
  t.equal(withExtensions.consensus_params.abci.vote_extensions_enable_height, String(enableAt), "CometBFT took the new height");
  const block = await rpc<{ block: { data: { txs: string[] | null } } }>(rpcUrl, "block", { height: String(enableAt + 2) });
  t.ok((block.block.data.txs ?? []).length >= 1, "a block after it starts with the injected extended commit");
});
