// Governance benchmark, on the app object (no CometBFT: this measures the app's own cost):
// - end_block_tally_ms: gov's end block in the block where a proposal's vote ends, with VOTERS
//   delegators voting (each bonded to one of 100 validators, a fifth of them with a weighted vote)
//   and every validator voting: the tally over bonded stake, the refund of the deposit and the
//   deletion of the votes. Each timed run is on a branch of the same state, thrown away after.
// - tally_ms: the tally alone (what TallyResult answers while a proposal is voting).
// Goal: end block < 50 ms with 10,000 voters. Prints one JSON object per figure on stdout; progress on stderr.
//
//   npm run bench:gov [-- --quick]   (--quick: 2,000 voters); GOV_VOTERS=N sets the number of voters.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { ProposalStatus, VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { MiraApp, STORE_NAMES } from "../app/chain/app";
import { Context } from "../app/core/context";
import { infiniteGasMeter } from "../app/core/gas";
import { MultiStore } from "../app/store";

const CHAIN_ID = "mira-bench-1";
const QUICK = process.argv.includes("--quick");
const VALIDATORS = 100;
const VOTERS = Number(process.env["GOV_VOTERS"] ?? (QUICK ? 2_000 : 10_000));
/** Voters made per block while building the state. */
const PER_BLOCK = 1_000;
const RUNS = QUICK ? 5 : 11;
/** The first runs pay for V8 compiling the end-block code (a running node has long done so): run, not timed. */
const WARMUP = 2;
const T0 = 1_700_000_000_000n;
const VOTING_MS = 60_000n;

function emit(metric: string, value: number, unit: string, params: Record<string, string | number | boolean>): void {
  const rounded = Number.isInteger(value) ? value : Number(value.toPrecision(4));
  console.log(JSON.stringify({ bench: "gov", metric, value: rounded, unit, params }));
}

function progress(msg: string): void {
  process.stderr.write(`[bench:gov] ${msg}\n`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mira-bench-gov-"));
  const ms = MultiStore.open(path.join(dir, "state.db"), { stores: STORE_NAMES });
  try {
    const app = new MiraApp(ms);
    const genesis = {
      staking: { params: { unbonding_time: "60s", max_validators: VALIDATORS, bond_denom: "umira" } },
      gov: { params: { voting_period: `${VOTING_MS / 1000n}s`, expedited_voting_period: "30s", max_deposit_period: "60s" } },
    };
    await app.initChain({
      time: { seconds: T0 / 1000n, nanos: 0 },
      chainId: CHAIN_ID,
      validators: [],
      appStateBytes: Buffer.from(JSON.stringify(genesis)),
      initialHeight: 1n,
    });
    ms.commit();
    const started = performance.now();
    const block = () => new Context(ms.working, BigInt(ms.version + 1), T0, CHAIN_ID, infiniteGasMeter(), "deliver");
    let ctx = block();
    const operators: Buffer[] = [];
    for (let i = 0; i < VALIDATORS; i++) {
      const operator = randomBytes(20);
      operators.push(operator);
      app.bank.mintCoins(ctx, operator, [{ denom: "umira", amount: 1_000_000_000n }]);
      app.staking.createValidator(
        ctx,
        {
          operator,
          consensusKey: randomBytes(32),
          description: { moniker: `v${i}`, identity: "", website: "", securityContact: "", details: "" },
          commission: { rate: 10n ** 17n, maxRate: 2n * 10n ** 17n, maxChangeRate: 10n ** 16n, updateTimeMs: 0n },
          minSelfDelegation: 1n,
        },
        { denom: "umira", amount: BigInt(100 + i) * 1_000_000n },
      );
    }
    app.staking.applyValidatorSetUpdates(ctx);
    const proposer = randomBytes(20);
    app.bank.mintCoins(ctx, proposer, [{ denom: "umira", amount: 100_000_000n }]);
    const id = app.modules.gov.submitProposal(ctx, {
      messages: [],
      initialDeposit: [{ denom: "umira", amount: 10_000_000n }],
      proposer,
      metadata: "",
      title: "bench",
      summary: "bench",
      expedited: false,
    });
    const one = "1.000000000000000000";
    for (const [i, op] of operators.entries()) app.modules.gov.vote(ctx, id, op, [{ option: 1 + (i % 4), weight: one }], "");
    ms.commit();
    ctx = block();
    for (let i = 0; i < VOTERS; i++) {
      const voter = randomBytes(20);
      app.bank.mintCoins(ctx, voter, [{ denom: "umira", amount: 10_000_000n }]);
      app.staking.delegate(ctx, voter, operators[i % VALIDATORS]!, BigInt(1 + (i % 7)) * 1_000_000n, "account");
      const options =
        i % 5 === 0
          ? [
              { option: VoteOption.VOTE_OPTION_YES, weight: "0.600000000000000000" },
              { option: VoteOption.VOTE_OPTION_NO, weight: "0.400000000000000000" },
            ]
          : [{ option: 1 + (i % 4), weight: one }];
      app.modules.gov.vote(ctx, id, voter, options, "");
      if ((i + 1) % PER_BLOCK === 0 || i + 1 === VOTERS) {
        app.staking.applyValidatorSetUpdates(ctx);
        ms.commit();
        ctx = block();
      }
    }
    progress(`${VALIDATORS} validators and ${VOTERS} voters in ${((performance.now() - started) / 1000).toFixed(1)} s; ${ms.nodeCount()} tree nodes`);

    const endBlock: number[] = [];
    const tallyOnly: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const branch = ms.working.branch();
      const at = new Context(branch, BigInt(ms.version + 1), T0 + VOTING_MS, CHAIN_ID, infiniteGasMeter(), "deliver");
      let s = performance.now();
      app.modules.gov.tally(at, app.modules.gov.getProposal(at, id)!);
      const tallied = performance.now() - s;
      s = performance.now();
      app.modules.gov.endBlock(at);
      const ended = performance.now() - s;
      const status = app.modules.gov.getProposal(at, id)!.status;
      if (status === ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) throw new Error("the proposal is still voting after its end block");
      branch.discard();
      if (r >= WARMUP) {
        endBlock.push(ended);
        tallyOnly.push(tallied);
      }
    }
    progress(`end block: ${endBlock.map((x) => x.toFixed(1)).join(", ")} ms; tally alone: ${tallyOnly.map((x) => x.toFixed(1)).join(", ")} ms`);
    const params = { node_flags: process.execArgv.join(" "), voters: VOTERS, validators: VALIDATORS, runs: RUNS - WARMUP, goal_ms: 50 };
    emit("end_block_tally_ms", median(endBlock), "ms", params);
    emit("tally_ms", median(tallyOnly), "ms", params);
  } finally {
    ms.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`[bench:gov] ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
