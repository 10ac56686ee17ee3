/**
 * Counting a claim's verdicts. Consensus code: exact bigint arithmetic, and iteration only over the
 * assigned validators in canonical order (never over the votes Map, whose order is insertion order).
 *
 * THE RULES
 * - Only votes from ASSIGNED validators count; a vote keyed by any other operator is ignored (not even
 *   checked). Votes are keyed by the operator's lowercase hex (Buffer.toString("hex")); a key in
 *   another case matches nothing. A counted vote must be SUPPORTED, REFUTED or UNVERIFIABLE.
 * - totalAssigned is the power of all assigned validators, voting or not (missing votes count
 *   against certification). A verdict V is certified when
 *       stake(V) * 10000 >= thresholdBp * totalAssigned     (bigint, exact)
 *   and totalAssigned > 0 (an assignment with no power certifies nothing).
 *   Example: three validators of equal power, two vote SUPPORTED: 2/3 = 6666.67 bp, so it certifies
 *   at thresholdBp 6666 and does NOT at 6667 (6667 bp means "more than two thirds").
 * - thresholdBp must be an integer in (5000, 10000]. Above one half, two verdicts cannot both reach it
 *   (their stakes would sum to more than the total), so there is never a tie to break; thresholds of
 *   5000 or less are refused with InvalidThreshold rather than given a tie-break.
 * - stakeFor is the stake behind the certified verdict or, when none is certified, behind the leading
 *   verdict (most stake; equal stakes go to the first in VERDICTS order: SUPPORTED, REFUTED,
 *   UNVERIFIABLE; this choice only affects reporting). stakeAgainst is the rest of the stake that
 *   voted. stakeByVerdict gives all three.
 * - At the deadline (settleAtDeadline) the claim is settled with the certified verdict if one reached
 *   the threshold, else UNRESOLVED.
 * - For economics (validatorOutcomes), each assigned validator, given the final outcome and the votes
 *   that count (the caller decides which: e.g. those in before the deadline): "missed" if it did not
 *   vote; if the outcome is a verdict, "agreed" when it voted that verdict, "disagreed" otherwise; if
 *   the outcome is UNRESOLVED, a validator that voted is "inconclusive" (there is no verdict to agree
 *   or disagree with). A validator that voted ABSTAIN is "abstained" whatever the outcome: its stake
 *   counts for no verdict (like a missing vote, against certification), it earns nothing, and it is no
 *   fault (unlike a missing vote: it shows its model looked at the claim).
 */
import { canonicalValidators, type WeightedValidator } from "./assign";
import { ClaimsCode, claimsError } from "./errors";

export type Verdict = "SUPPORTED" | "REFUTED" | "UNVERIFIABLE";
/** What a validator can vote: a verdict, or that it abstains (it looked, and would not judge). */
export type Vote = Verdict | "ABSTAIN";
export type ClaimOutcome = Verdict | "UNRESOLVED";
export type ValidatorOutcome = "agreed" | "disagreed" | "missed" | "inconclusive" | "abstained";

/** The verdicts in their canonical order (the tie-break order for reporting the leading verdict). */
export const VERDICTS: readonly Verdict[] = ["SUPPORTED", "REFUTED", "UNVERIFIABLE"];
export const UNRESOLVED = "UNRESOLVED" as const;
export const BP_DENOMINATOR = 10000n;

export interface TallyResult {
  /** The certified verdict, or undefined when none reached the threshold. */
  verdict: Verdict | undefined;
  stakeFor: bigint;
  stakeAgainst: bigint;
  totalAssigned: bigint;
  /** Lowercase operator hex of the assigned validators that voted, in canonical (byte) order. */
  voters: string[];
  stakeByVerdict: Record<Verdict, bigint>;
}

export interface ValidatorOutcomeEntry {
  operator: string;
  power: bigint;
  vote: Vote | undefined;
  outcome: ValidatorOutcome;
}

export function isVerdict(v: unknown): v is Verdict {
  return v === "SUPPORTED" || v === "REFUTED" || v === "UNVERIFIABLE";
}

export function isVote(v: unknown): v is Vote {
  return isVerdict(v) || v === "ABSTAIN";
}

/** Refuses thresholds outside (5000, 10000] basis points. */
export function checkThreshold(thresholdBp: number): void {
  if (typeof thresholdBp !== "number" || !Number.isSafeInteger(thresholdBp) || thresholdBp <= 5000 || thresholdBp > 10000) {
    throw claimsError(
      ClaimsCode.InvalidThreshold,
      `certification threshold must be an integer number of basis points above 5000 and at most 10000, got ${String(thresholdBp)}`,
    );
  }
}

/** Whether `stake` out of `total` reaches `thresholdBp`, exactly. */
export function reachesThreshold(stake: bigint, total: bigint, thresholdBp: number): boolean {
  return total > 0n && stake * BP_DENOMINATOR >= BigInt(thresholdBp) * total;
}

function countedVote(votes: ReadonlyMap<string, Vote>, hex: string): Vote | undefined {
  const v = votes.get(hex);
  if (v === undefined) return undefined;
  if (!isVote(v)) throw claimsError(ClaimsCode.InvalidVerdict, `validator ${hex} voted ${String(v)}, not a verdict`);
  return v;
}

export function tally(assigned: WeightedValidator[], votes: ReadonlyMap<string, Vote>, thresholdBp: number): TallyResult {
  checkThreshold(thresholdBp);
  const set = canonicalValidators(assigned, true);
  const stakeByVerdict: Record<Verdict, bigint> = { SUPPORTED: 0n, REFUTED: 0n, UNVERIFIABLE: 0n };
  let totalAssigned = 0n;
  let voted = 0n;
  const voters: string[] = [];
  for (const v of set) {
    totalAssigned += v.power;
    const hex = v.operator.toString("hex");
    const vote = countedVote(votes, hex);
    if (vote === undefined || vote === "ABSTAIN") continue; // an abstention backs no verdict
    voters.push(hex);
    stakeByVerdict[vote] += v.power;
    voted += v.power;
  }
  let leading: Verdict | undefined;
  if (voters.length > 0) {
    for (const verdict of VERDICTS) {
      if (leading === undefined || stakeByVerdict[verdict] > stakeByVerdict[leading]) leading = verdict;
    }
  }
  const stakeFor = leading === undefined ? 0n : stakeByVerdict[leading];
  const certified = leading !== undefined && reachesThreshold(stakeFor, totalAssigned, thresholdBp);
  return {
    verdict: certified ? leading : undefined,
    stakeFor,
    stakeAgainst: voted - stakeFor,
    totalAssigned,
    voters,
    stakeByVerdict,
  };
}

/** The claim's final outcome at its deadline: the certified verdict, or UNRESOLVED. */
export function settleAtDeadline(
  assigned: WeightedValidator[],
  votes: ReadonlyMap<string, Vote>,
  thresholdBp: number,
): { outcome: ClaimOutcome; result: TallyResult } {
  const result = tally(assigned, votes, thresholdBp);
  return { outcome: result.verdict ?? UNRESOLVED, result };
}

/** Each assigned validator's part in the outcome, in canonical order (see the rules above). */
export function validatorOutcomes(assigned: WeightedValidator[], votes: ReadonlyMap<string, Vote>, outcome: ClaimOutcome): ValidatorOutcomeEntry[] {
  if (outcome !== UNRESOLVED && !isVerdict(outcome)) {
    throw claimsError(ClaimsCode.InvalidVerdict, `claim outcome ${String(outcome)} is neither a verdict nor UNRESOLVED`);
  }
  return canonicalValidators(assigned, true).map((v) => {
    const operator = v.operator.toString("hex");
    const vote = countedVote(votes, operator);
    let result: ValidatorOutcome;
    if (vote === undefined) result = "missed";
    else if (vote === "ABSTAIN") result = "abstained";
    else if (outcome === UNRESOLVED) result = "inconclusive";
    else result = vote === outcome ? "agreed" : "disagreed";
    return { operator, power: v.power, vote, outcome: result };
  });
}
