// Staking benchmark: FinalizeBlock time on a chain of 100 validators and N delegations, when fees
// and minted coins are distributed to all 100 signers (every block), and when one validator is
// slashed for a double sign (CometBFT evidence); for N = 1,000 and 10,000, to show the cost does
// not grow with the number of delegators (F1 distribution; slashing touches validators, not
// delegations). Prints one JSON object per figure on stdout; progress on stderr.
//
//   npx tsc -p tsconfig.json && node dist/bench/staking.js [--quick]   (--quick: 1,000 and 2,000)
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { MisbehaviorType, type RequestFinalizeBlock } from "cosmjs-types/tendermint/abci/types";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import { MiraApp, STORE_NAMES } from "../app/chain/app";
import { Context } from "../app/core/context";
import { ONE_DEC } from "../app/core/dec";
import { infiniteGasMeter } from "../app/core/gas";
import { MultiStore } from "../app/store";
import { consensusAddress } from "../app/core/address";

const VALIDATORS = 100;
const WARMUP = 3;
const TIMED = 15;
const MIRA = 1_000_000n;
const CHAIN_ID = "mira-bench-1";
const GOAL_MS = 50;

function emit(metric: string, value: number, unit: string, params: Record<string, string | number | boolean>): void {
  const rounded = Number.isInteger(value) ? value : Number(value.toPrecision(4));
  console.log(JSON.stringify({ bench: "staking", metric, value: rounded, unit, params }));
}

function progress(msg: string): void {
  process.stderr.write(`[bench:staking] ${msg}\n`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

interface Net {
  app: MiraApp;
  ms: MultiStore;
  keys: Buffer[];
  dir: string;
}

/** A chain with VALIDATORS validators and `delegations` delegations spread over them, set up through the keepers. */
async function build(delegations: number): Promise<Net> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mira-bench-staking-"));
  const ms = MultiStore.open(path.join(dir, "state.db"), { stores: STORE_NAMES });
  const app = new MiraApp(ms);
  await app.initChain({ time: { seconds: 1_700_000_000n, nanos: 0 }, chainId: CHAIN_ID, validators: [], appStateBytes: Buffer.from("{}"), initialHeight: 1n });
  const ctx = new Context(ms.working, 1n, 1_700_000_000_000n, CHAIN_ID, infiniteGasMeter(), "deliver");
  const keys: Buffer[] = [];
  for (let i = 0; i < VALIDATORS; i++) {
    const operator = randomBytes(20);
    const key = randomBytes(32);
    keys.push(key);
    app.bank.mintCoins(ctx, operator, [{ denom: "umira", amount: 1000n * MIRA }]);
    app.staking.createValidator(
      ctx,
      {
        operator,
        consensusKey: key,
        description: { moniker: `v${i}`, identity: "", website: "", securityContact: "", details: "" },
        commission: { rate: ONE_DEC / 10n, maxRate: ONE_DEC / 5n, maxChangeRate: ONE_DEC / 100n, updateTimeMs: 0n },
        minSelfDelegation: 1n,
      },
      { denom: "umira", amount: BigInt(100 + i) * MIRA },
    );
  }
  const operators = [...app.staking.allValidators(ctx)].map((v) => v.operator);
  for (let i = 0; i < delegations; i++) {
    const delegator = randomBytes(20);
    app.bank.mintCoins(ctx, delegator, [{ denom: "umira", amount: 10n * MIRA }]);
    app.staking.delegate(ctx, delegator, operators[i % operators.length]!, BigInt(1 + (i % 7)) * MIRA, "account");
  }
  await block(app, keys, undefined);
  progress(`built: ${VALIDATORS} validators, ${delegations} delegations, ${ms.nodeCount()} tree nodes`);
  return { app, ms, keys, dir };
}

/** One block in which all validators signed the last one; `cheater`, if given, double-signed 2 blocks ago. Returns FinalizeBlock ms. */
async function block(app: MiraApp, keys: Buffer[], cheater: number | undefined): Promise<number> {
  const height = BigInt(app.store.version + 1);
  const powers = new Map(
    [...app.staking.allValidators(new Context(app.store.branchCommitted(), height, 0n, CHAIN_ID, infiniteGasMeter(), "check"))].map((v) => [
      v.consensusKey.toString("hex"),
      v.jailed ? 0n : v.tokens / MIRA,
    ]),
  );
  const req: RequestFinalizeBlock = {
    txs: [],
    decidedLastCommit: {
      round: 0,
      votes:
        height === 1n
          ? []
          : keys
              .filter((k) => (powers.get(k.toString("hex")) ?? 0n) > 0n)
              .map((k) => ({
                validator: { address: consensusAddress(k), power: powers.get(k.toString("hex"))! },
                blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_COMMIT,
              })),
    },
    misbehavior:
      cheater === undefined
        ? []
        : [
            {
              type: MisbehaviorType.DUPLICATE_VOTE,
              validator: { address: consensusAddress(keys[cheater]!), power: powers.get(keys[cheater]!.toString("hex"))! },
              height: height - 2n,
              time: { seconds: 0n, nanos: 0 },
              totalVotingPower: 1n,
            },
          ],
    hash: new Uint8Array(32),
    height,
    time: { seconds: 1_700_000_000n + height * 5n, nanos: 0 },
    nextValidatorsHash: new Uint8Array(32),
    proposerAddress: new Uint8Array(20),
  };
  const t0 = performance.now();
  const res = await app.finalizeBlock(req);
  const ms = performance.now() - t0;
  await app.commit();
  if (cheater !== undefined && !(res.events ?? []).some((e) => e.type === "slash")) throw new Error("the double sign was not slashed");
  return ms;
}

async function measure(delegations: number): Promise<{ rewards: number; slash: number }> {
  const net = await build(delegations);
  try {
    for (let i = 0; i < WARMUP; i++) await block(net.app, net.keys, undefined);
    const rewards: number[] = [];
    for (let i = 0; i < TIMED; i++) rewards.push(await block(net.app, net.keys, undefined));
    const slash: number[] = [];
    for (let i = 0; i < TIMED; i++) slash.push(await block(net.app, net.keys, i)); // a different validator each time
    const r = median(rewards);
    const s = median(slash);
    progress(`${delegations} delegations: rewards ${r.toFixed(2)} ms, slash ${s.toFixed(2)} ms (medians of ${TIMED})`);
    const params = { validators: VALIDATORS, delegations, blocks: TIMED, stat: "median", goal_ms: GOAL_MS };
    emit("finalize_ms", r, "ms", {
      ...params,
      case: "rewards to 100 signers (the block's minted coins; fees take the same path)",
      p90_ms: Number(rewards.sort((a, b) => a - b)[Math.ceil(0.9 * TIMED) - 1]!.toFixed(2)),
    });
    emit("finalize_ms", s, "ms", {
      ...params,
      case: "one validator slashed for a double sign (and rewards)",
      p90_ms: Number(slash.sort((a, b) => a - b)[Math.ceil(0.9 * TIMED) - 1]!.toFixed(2)),
    });
    return { rewards: r, slash: s };
  } finally {
    net.ms.close();
    fs.rmSync(net.dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const sizes = process.argv.includes("--quick") ? [1_000, 2_000] : [1_000, 10_000];
  const results = [];
  for (const n of sizes) results.push(await measure(n));
  const [small, big] = results as [{ rewards: number; slash: number }, { rewards: number; slash: number }];
  emit("rewards_ratio", big.rewards / small.rewards, "x", {
    numerator: `finalize_ms rewards, ${sizes[1]} delegations`,
    denominator: `${sizes[0]} delegations`,
    meaning: "≈1 means independent of the number of delegators",
  });
  emit("slash_ratio", big.slash / small.slash, "x", { numerator: `finalize_ms slash, ${sizes[1]} delegations`, denominator: `${sizes[0]} delegations` });
}

main().catch((err: Error) => {
  process.stderr.write(`[bench:staking] ${err.stack ?? err.message}\n`);
  process.exit(1);
});
