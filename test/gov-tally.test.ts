// The tally's fast reads, against the plain ones they replace: the ordered pass over delegations
// (DelegationCursor) against one lookup per voter, and the hand decoders of a delegation's shares and
// a vote's options against cosmjs-types' decoders. The tally's result itself is checked against an
// independent recount in app-gov, and here against the SDK's formula applied step by step.
import t from "tap";
import { Delegation } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { Vote, VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { compareKeyed, DelegationCursor, type DelegationEntry } from "../modules/gov/delegation-cursor";
import { tallyOptionsOf } from "../modules/gov/keeper";
import { sharesOf } from "../modules/staking/keeper";
import { decMul, decQuo, tally, type TallyValidator, type TallyVote } from "../modules/gov/tally";
import { Rng } from "./helpers/rng";

/** Delegations in staking's key order, and a cursor source over them from any delegator on (as `delegationsFrom`). */
function delegationStore(entries: DelegationEntry[]): { opens: number; open: (from: Uint8Array) => Iterator<DelegationEntry> } {
  entries.sort((a, b) => compareKeyed(a[0], b[0]) || compareKeyed(a[1], b[1]));
  const store = {
    opens: 0,
    open: function* (from: Uint8Array): Generator<DelegationEntry> {
      store.opens++;
      for (const e of entries) if (compareKeyed(e[0], from) >= 0) yield e;
    },
  };
  return store;
}

t.test("the ordered pass finds each voter's delegations as one lookup per voter does, whatever the order asked", (t) => {
  for (let seed = 1; seed <= 40; seed++) {
    const rng = new Rng(seed);
    const validators = Array.from({ length: 1 + rng.int(5) }, () => rng.bytes(20));
    const delegators = Array.from({ length: 1 + rng.int(200) }, () => rng.bytes(rng.int(4) === 0 ? 32 : 20));
    const entries: DelegationEntry[] = [];
    for (const d of delegators) {
      const picked = new Set<number>();
      for (let i = rng.int(4); i > 0; i--) picked.add(rng.int(validators.length));
      for (const v of picked) entries.push([d, validators[v]!, BigInt(1 + rng.int(1_000_000))]);
    }
    const store = delegationStore(entries);
    const expected = (voter: Buffer) => entries.filter((e) => e[0].equals(voter)).map(([, v, s]) => [v, s]);
    // Voters: some delegators (a few in long runs of non-voters), some strangers; sorted as vote keys are, then a few out of order.
    const voters = [...delegators.filter(() => rng.int(seed % 2 === 0 ? 3 : 30) === 0), rng.bytes(20), rng.bytes(32)].sort(compareKeyed);
    if (seed % 4 === 0) voters.push(...[...voters].reverse().slice(0, 5));
    const cursor = new DelegationCursor(store.open);
    for (const voter of voters) t.same(cursor.of(voter), expected(voter), `seed ${seed}`);
    cursor.close();
    if (seed % 4 !== 0) t.ok(store.opens <= 1 + voters.length, `seed ${seed}: ${store.opens} passes for ${voters.length} voters`);
  }
  t.end();
});

t.test("a long run of delegators who did not vote re-opens the pass at the next voter instead of walking it", (t) => {
  const rng = new Rng(7);
  const validator = rng.bytes(20);
  const entries: DelegationEntry[] = Array.from({ length: 1000 }, () => [rng.bytes(20), validator, 1n]);
  const store = delegationStore(entries);
  let read = 0;
  const cursor = new DelegationCursor((from) => {
    const it = store.open(from);
    return {
      next: () => {
        read++;
        return it.next();
      },
    };
  });
  const voters = [entries[0]![0], entries[500]![0], entries[999]![0]];
  for (const v of voters) t.same(cursor.of(v), [[validator, 1n]]);
  t.equal(store.opens, 3);
  t.ok(read < 100, `${read} delegations read for 3 voters among 1,000 delegators`);
  t.end();
});

t.test("the hand decoders read what cosmjs-types' decoders read", (t) => {
  const rng = new Rng(11);
  for (let i = 0; i < 200; i++) {
    const shares = BigInt(rng.int(1_000_000_000)) * 10n ** BigInt(rng.int(20));
    const d = Delegation.encode({
      delegatorAddress: "mira1" + "q".repeat(rng.int(40)),
      validatorAddress: "miravaloper1xyz",
      shares: shares.toString(),
    }).finish();
    t.equal(sharesOf(d), BigInt(Delegation.decode(d).shares));
    const weight = (n: bigint) => `${n / 10n ** 18n}.${(n % 10n ** 18n).toString().padStart(18, "0")}`;
    const split = BigInt(1 + rng.int(999)) * 10n ** 15n;
    const options =
      rng.int(2) === 0
        ? [{ option: 1 + rng.int(4), weight: weight(10n ** 18n) }]
        : [
            { option: VoteOption.VOTE_OPTION_YES, weight: weight(split) },
            { option: VoteOption.VOTE_OPTION_NO_WITH_VETO, weight: weight(10n ** 18n - split) },
          ];
    const v = Vote.encode({ proposalId: BigInt(rng.int(1_000_000)), voter: "mira1abc", options, metadata: "m".repeat(rng.int(300)) }).finish();
    t.same(
      tallyOptionsOf(v),
      Vote.decode(v).options.map((o) => ({ option: o.option, weight: BigInt(o.weight.replace(".", "")) })),
    );
  }
  t.equal(sharesOf(Delegation.encode({ delegatorAddress: "a", validatorAddress: "b", shares: "" }).finish()), 0n);
  t.end();
});

t.test("the tally counts each delegation by the SDK's formula, for validators one token per share and slashed ones", (t) => {
  const ONE = 10n ** 18n;
  for (let seed = 1; seed <= 60; seed++) {
    const rng = new Rng(100 + seed);
    const validators: TallyValidator[] = Array.from({ length: 1 + rng.int(6) }, () => {
      const bondedTokens = BigInt(1 + rng.int(1_000_000_000));
      // Half one token per share (never slashed); the rest more shares than tokens, as a slash leaves them.
      const delegatorShares = rng.int(2) === 0 ? bondedTokens * ONE : (bondedTokens * ONE * BigInt(1000 + rng.int(9000))) / 1000n + BigInt(rng.int(1000));
      return { operator: rng.bytes(20), bondedTokens, delegatorShares };
    });
    const optionsOf = (): TallyVote["options"] =>
      rng.int(3) === 0
        ? [
            { option: VoteOption.VOTE_OPTION_YES, weight: ONE / 3n },
            { option: VoteOption.VOTE_OPTION_NO_WITH_VETO, weight: ONE - ONE / 3n },
          ]
        : [{ option: 1 + rng.int(4), weight: ONE }];
    const delegations = new Map<string, [Buffer, bigint][]>();
    const votes: TallyVote[] = [];
    for (const v of validators) if (rng.int(2) === 0) votes.push({ voter: v.operator, options: optionsOf() });
    for (let i = rng.int(40); i > 0; i--) {
      const voter = rng.bytes(20);
      const to = [...new Set(Array.from({ length: 1 + rng.int(3) }, () => rng.int(validators.length)))];
      delegations.set(
        voter.toString("hex"),
        to.map((k) => [validators[k]!.operator, BigInt(1 + rng.int(1_000_000)) * 10n ** BigInt(rng.int(19))]),
      );
      votes.push({ voter, options: optionsOf() });
    }
    const input = {
      validators,
      votes,
      delegationsOf: (voter: Buffer) => delegations.get(voter.toString("hex")) ?? [],
      totalBonded: validators.reduce((s, v) => s + v.bondedTokens, 0n),
      quorum: ONE / 3n,
      threshold: ONE / 2n,
      vetoThreshold: ONE / 3n,
      burnVoteQuorum: false,
      burnVoteVeto: true,
    };
    // The SDK's keeper.Tally, step by step with LegacyDec Mul and Quo for every delegation and option.
    const results = new Map<VoteOption, bigint>();
    const add = (options: TallyVote["options"], power: bigint) => {
      for (const o of options) results.set(o.option, (results.get(o.option) ?? 0n) + decMul(power, o.weight));
    };
    const deducted = new Map<Buffer, bigint>();
    let total = 0n;
    for (const vote of votes) {
      for (const [operator, shares] of input.delegationsOf(vote.voter)) {
        const val = validators.find((v) => v.operator.equals(operator))!;
        deducted.set(val.operator, (deducted.get(val.operator) ?? 0n) + shares);
        const power = decQuo(shares * val.bondedTokens, val.delegatorShares);
        add(vote.options, power);
        total += power;
      }
    }
    for (const val of validators) {
      const own = votes.find((v) => v.voter.equals(val.operator));
      if (own === undefined) continue;
      const power = decQuo((val.delegatorShares - (deducted.get(val.operator) ?? 0n)) * val.bondedTokens, val.delegatorShares);
      add(own.options, power);
      total += power;
    }
    const out = tally(input);
    const count = (o: VoteOption) => ((results.get(o) ?? 0n) / ONE).toString();
    t.same(
      out.result,
      {
        yesCount: count(VoteOption.VOTE_OPTION_YES),
        abstainCount: count(VoteOption.VOTE_OPTION_ABSTAIN),
        noCount: count(VoteOption.VOTE_OPTION_NO),
        noWithVetoCount: count(VoteOption.VOTE_OPTION_NO_WITH_VETO),
      },
      `seed ${seed}: the counts`,
    );
    t.equal(out.totalVotingPower, total, `seed ${seed}: the voting power`);
  }
  t.end();
});
