// Several sidecar models answering as one (`mirad sidecar --model A --model B ...`), so that one validator
// can run an ensemble. The rule puts precision first: the ensemble gives verdict V only when more than half
// of its members gave a verdict and every member that gave one said V; its confidence is then the lowest of
// theirs. A disagreement is an abstention (the sidecar answers VERDICT_ABSTAIN: the claim is left to the other
// validators or stays unresolved, and it is no fault) rather than a vote for the majority; too few answers
// (members that failed) is no answer yet, which the node asks for again.
//
// The ensemble's model hash is the sha256 of "mira-ensemble/1", then each member's hash (hex) in sorted
// order, one per line: the rule is symmetric, so the order of the --model flags does not change it, and a
// change of any member changes it.
import crypto from "node:crypto";
import type { Verification } from "./model";

/** What the ensemble needs of a member: service.ts's SidecarModel (not imported, so the two files stay acyclic). */
interface Member {
  readonly sha256: string;
  readonly executionProviders?: readonly string[];
  verify(pairs: readonly { claim: string; source: string }[]): Promise<(Verification | undefined)[]>;
  release?(): Promise<void>;
}

export const ENSEMBLE_RULE_VERSION = "mira-ensemble/1";

export function ensembleSha256(memberHashes: readonly string[]): string {
  return crypto
    .createHash("sha256")
    .update([ENSEMBLE_RULE_VERSION, ...[...memberHashes].sort()].join("\n"))
    .digest("hex");
}

/** The ensemble's answer on one item from its members' answers (undefined: that member gave none). */
export function combineVerdicts(answers: readonly (Verification | undefined)[], sha256: string): Verification | undefined {
  const given = answers.filter((a): a is Verification => a !== undefined);
  if (given.length * 2 <= answers.length) return undefined;
  const confidenceBp = Math.min(...given.map((a) => a.confidenceBp));
  const verdict = given[0]!.verdict;
  if (given.some((a) => a.verdict !== verdict || a.abstain === true)) return { verdict, confidenceBp, modelSha256: sha256, abstain: true };
  return { verdict, confidenceBp, modelSha256: sha256 };
}

export class EnsembleModel implements Member {
  readonly sha256: string;
  readonly executionProviders: readonly string[];

  constructor(readonly members: readonly Member[]) {
    if (members.length < 2) throw new Error("an ensemble needs at least two models");
    this.sha256 = ensembleSha256(members.map((m) => m.sha256));
    this.executionProviders = [...new Set(members.flatMap((m) => m.executionProviders ?? []))];
  }

  async verify(pairs: readonly { claim: string; source: string }[]): Promise<(Verification | undefined)[]> {
    const all = await Promise.all(this.members.map((m) => m.verify(pairs)));
    return pairs.map((_, i) =>
      combineVerdicts(
        all.map((answers) => answers[i]),
        this.sha256,
      ),
    );
  }

  async release(): Promise<void> {
    for (const m of this.members) await m.release?.();
  }
}
