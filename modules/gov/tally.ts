// The tally of a proposal as the Cosmos SDK v0.50 computes it, in LegacyDec atomics (10^-18) with the
// SDK's rounding: Mul and Quo round half to even at 18 digits (chopPrecisionAndRound), MulInt is exact.
// A delegator's own vote counts its delegations; what it delegated is deducted from its validators'
// shares, whose votes count for the rest of their delegators.
import { VoteOption, type TallyResult, type WeightedVoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { DEC_PRECISION } from "../../app/core/dec";
import { compareBytes } from "../../app/core/memo";

const HALF = DEC_PRECISION / 2n;
const P2 = DEC_PRECISION * DEC_PRECISION;

/** Drops 18 digits, rounding half to even (LegacyDec's chopPrecisionAndRound, for non-negative values). */
function chopRound(x: bigint): bigint {
  const q = x / DEC_PRECISION;
  const r = x - q * DEC_PRECISION; // x % DEC_PRECISION, without a second division
  if (r < HALF) return q;
  if (r > HALF) return q + 1n;
  return q % 2n === 0n ? q : q + 1n;
}

/** LegacyDec a × b. */
export const decMul = (a: bigint, b: bigint): bigint => chopRound(a * b);
/** LegacyDec a ÷ b (b > 0). */
export const decQuo = (a: bigint, b: bigint): bigint => chopRound((a * P2) / b);

/** A vote as the tally reads it: the voter's address bytes and its options with weights in atomics. */
export interface TallyVote {
  voter: Buffer;
  options: readonly { readonly option: VoteOption; readonly weight: bigint }[];
}

/** A bonded validator as the tally reads it. */
export interface TallyValidator {
  operator: Buffer;
  bondedTokens: bigint;
  delegatorShares: bigint;
}

export interface TallyInput {
  validators: TallyValidator[];
  /** In voter key order for the cheapest reads (any order counts the same). */
  votes: Iterable<TallyVote>;
  /** [validator operator, shares] of a voter's delegations. */
  delegationsOf: (voter: Buffer) => Iterable<[Buffer, bigint]>;
  totalBonded: bigint;
  quorum: bigint;
  threshold: bigint;
  vetoThreshold: bigint;
  burnVoteQuorum: boolean;
  burnVoteVeto: boolean;
}

export interface TallyOutcome {
  passes: boolean;
  burnDeposits: boolean;
  result: TallyResult;
  /** The voting power that voted, in atomics (for tests and logs). */
  totalVotingPower: bigint;
}

/** The options a tally result counts, yes (1) to no with veto (4); the SDK's results map holds these four (index = VoteOption). */
const FIRST_COUNTED = VoteOption.VOTE_OPTION_YES;
const LAST_COUNTED = VoteOption.VOTE_OPTION_NO_WITH_VETO;

/** LegacyDec power × weight: exactly `power` when the weight is 1 (the common single-option vote), without the bigint work. */
const weighted = (power: bigint, weight: bigint): bigint => (weight === DEC_PRECISION ? power : decMul(power, weight));

interface ValidatorTally {
  v: TallyValidator;
  /** bondedTokens × 10^36: decQuo(shares × tokens, delegatorShares) is chopRound(shares × this ÷ delegatorShares). */
  tokensP2: bigint;
  /**
   * delegatorShares = bondedTokens × 10^18 (one token per share, a validator never slashed): a delegation's
   * power, shares × tokens × 10^36 ÷ delegatorShares chopped to 18 digits, is then its shares exactly.
   */
  oneToOne: boolean;
  deductions: bigint;
  vote?: TallyVote["options"];
}

/**
 * The bonded validators by operator address. Looked up once per vote and per delegation: by a number
 * read from the address's bytes, then compared, rather than through a string made of each address.
 */
class ValidatorIndex {
  private readonly byHash = new Map<number, ValidatorTally[]>();
  private readonly all: ValidatorTally[] = [];

  private static hash(a: Buffer): number {
    return a.length >= 4 ? a.readUInt32LE(a.length - 4) ^ a.length : a.length === 0 ? 0 : a[0]! + 256 * a.length;
  }

  add(t: ValidatorTally): void {
    const h = ValidatorIndex.hash(t.v.operator);
    const list = this.byHash.get(h);
    if (list === undefined) this.byHash.set(h, [t]);
    else list.push(t);
    this.all.push(t);
  }

  get(operator: Buffer): ValidatorTally | undefined {
    const list = this.byHash.get(ValidatorIndex.hash(operator));
    if (list === undefined) return undefined;
    for (const t of list) if (compareBytes(t.v.operator, operator) === 0) return t;
    return undefined;
  }

  values(): readonly ValidatorTally[] {
    return this.all;
  }
}

/** The SDK's keeper.Tally: results per option, quorum, the veto, then the threshold of yes among the non-abstaining. */
export function tally(input: TallyInput): TallyOutcome {
  // Sums per option, indexed by VoteOption; an option outside the four is computed by the SDK but never counted.
  const results = [0n, 0n, 0n, 0n, 0n];
  const add = (options: TallyVote["options"], power: bigint): void => {
    for (const o of options) if (o.option >= FIRST_COUNTED && o.option <= LAST_COUNTED) results[o.option] = results[o.option]! + weighted(power, o.weight);
  };
  let total = 0n;
  const validators = new ValidatorIndex();
  for (const v of input.validators)
    validators.add({ v, tokensP2: v.bondedTokens * P2, oneToOne: v.delegatorShares === v.bondedTokens * DEC_PRECISION, deductions: 0n });
  for (const vote of input.votes) {
    const own = validators.get(vote.voter);
    if (own !== undefined) own.vote = vote.options;
    for (const [operator, shares] of input.delegationsOf(vote.voter)) {
      const val = validators.get(operator);
      if (val === undefined || val.v.delegatorShares === 0n) continue;
      val.deductions += shares;
      const power = val.oneToOne ? shares : chopRound((shares * val.tokensP2) / val.v.delegatorShares);
      add(vote.options, power);
      total += power;
    }
  }
  for (const val of validators.values()) {
    if (val.vote === undefined || val.v.delegatorShares === 0n) continue;
    const power = decQuo((val.v.delegatorShares - val.deductions) * val.v.bondedTokens, val.v.delegatorShares);
    add(val.vote, power);
    total += power;
  }
  const count = (o: VoteOption) => (results[o]! / DEC_PRECISION).toString();
  const result: TallyResult = {
    yesCount: count(VoteOption.VOTE_OPTION_YES),
    abstainCount: count(VoteOption.VOTE_OPTION_ABSTAIN),
    noCount: count(VoteOption.VOTE_OPTION_NO),
    noWithVetoCount: count(VoteOption.VOTE_OPTION_NO_WITH_VETO),
  };
  const out = (passes: boolean, burnDeposits: boolean): TallyOutcome => ({ passes, burnDeposits, result, totalVotingPower: total });
  if (input.totalBonded === 0n) return out(false, false);
  if (decQuo(total, input.totalBonded * DEC_PRECISION) < input.quorum) return out(false, input.burnVoteQuorum);
  const abstain = results[VoteOption.VOTE_OPTION_ABSTAIN]!;
  if (total - abstain === 0n) return out(false, false);
  if (decQuo(results[VoteOption.VOTE_OPTION_NO_WITH_VETO]!, total) > input.vetoThreshold) return out(false, input.burnVoteVeto);
  if (decQuo(results[VoteOption.VOTE_OPTION_YES]!, total - abstain) > input.threshold) return out(true, false);
  return out(false, false);
}

/** A tally with every count zero (a proposal still in its deposit period). */
export const EMPTY_TALLY: TallyResult = { yesCount: "0", abstainCount: "0", noCount: "0", noWithVetoCount: "0" };

/** The options of a stored vote (weights in text form) as the tally reads them. */
export function weightsOf(options: readonly WeightedVoteOption[], parse: (text: string) => bigint): TallyVote["options"] {
  return options.map((o) => ({ option: o.option, weight: parse(o.weight) }));
}
