// consensus_params.block.max_gas is enforced as the SDK does: CheckTx refuses a tx whose gas limit is
// above it (sdk code 41, it could never fit in a block), PrepareProposal leaves out a tx that does not
// fit the gas left and takes smaller ones after it, and ProcessProposal rejects a block whose txs
// declare more gas than the limit; with max_gas -1 (CometBFT's default) there is no limit.
import { ResponseProcessProposal_ProposalStatus } from "cosmjs-types/tendermint/abci/types";
import { CheckTxType } from "cosmjs-types/tendermint/abci/types";
import t from "tap";
import { send, signTx, type Wallet } from "./helpers/app-driver";
import { type Chain, proposalRequest, run, startChain } from "./helpers/chain";

const MAX_GAS = 500_000n;

const proposal = (c: Chain, txs: Uint8Array[]) => proposalRequest(c, txs);

/** A bank send from wallet i (account number i, sequence `seq`) declaring `gas`, paying the minimum fee for it. */
async function sendWithGas(c: Chain, i: number, seq: number, gas: bigint): Promise<Uint8Array> {
  const w = c.wallets[i] as Wallet;
  return signTx(w, [send(w.address, c.wallets[4]!.address, "1")], {
    accountNumber: BigInt(i),
    sequence: seq,
    gas: gas.toString(),
    fee: ((gas * 25n + 999n) / 1000n).toString(),
  });
}

t.test("block.max_gas bounds every tx and every proposal", async (t) => {
  const c = await startChain(t, { validators: 2, block: { maxBytes: 22_020_096n, maxGas: MAX_GAS } });
  const check = async (tx: Uint8Array) => c.app.checkTx({ tx, type: CheckTxType.NEW });

  const tooBig = await sendWithGas(c, 2, 0, MAX_GAS + 1n);
  const refused = await check(tooBig);
  t.equal(refused.code, 41, "a gas limit above block.max_gas: InvalidGasLimit");
  t.match(refused.log, `tx gas limit ${MAX_GAS + 1n} exceeds block max gas ${MAX_GAS}`);
  t.equal((await check(await sendWithGas(c, 3, 0, MAX_GAS))).code, 0, "exactly block.max_gas fits");

  const a = await sendWithGas(c, 2, 0, 300_000n);
  const b = await sendWithGas(c, 3, 1, 300_000n);
  const small = await sendWithGas(c, 4, 0, 150_000n);
  const prepared = await c.app.prepareProposal({
    maxTxBytes: 1_000_000n,
    txs: [a, b, small],
    localLastCommit: { round: 0, votes: [] },
    misbehavior: [],
    height: BigInt(c.app.store.version + 1),
    time: { seconds: 0n, nanos: 0 },
    nextValidatorsHash: new Uint8Array(32),
    proposerAddress: new Uint8Array(20),
  });
  t.same(
    (prepared.txs as Uint8Array[]).map((x) => Buffer.from(x)),
    [Buffer.from(a), Buffer.from(small)],
    "300,000 taken, the second 300,000 left out (600,000 > 500,000), the 150,000 after it taken",
  );
  t.equal((await c.app.processProposal(proposal(c, [a, small]))).status, ResponseProcessProposal_ProposalStatus.ACCEPT, "450,000: accepted");
  t.equal(
    (await c.app.processProposal(proposal(c, [a, b]))).status,
    ResponseProcessProposal_ProposalStatus.REJECT,
    "600,000 declared by a proposer that ignores the limit: rejected",
  );
  await run(c, [a, small]);
});

t.test("with max_gas -1 there is no gas limit on txs or proposals", async (t) => {
  const c = await startChain(t, { validators: 2 });
  const big = await sendWithGas(c, 2, 0, 50_000_000n);
  t.equal((await c.app.checkTx({ tx: big, type: CheckTxType.NEW })).code, 0);
  t.equal((await c.app.processProposal(proposal(c, [big, await sendWithGas(c, 3, 1, 50_000_000n)]))).status, ResponseProcessProposal_ProposalStatus.ACCEPT);
});
