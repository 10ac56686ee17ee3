// The tally reads the delegations of every voter. One store iterator per voter (as the SDK's tally
// does) costs a walk from the tree's root each time; voters come in key order, which is also the
// order of staking's delegations, so one ordered pass reads them all, re-opened further on only
// where many delegators in a row did not vote.

import { compareBytes } from "../../app/core/memo";

/** [delegator, validator operator, shares] in staking's key order. */
export type DelegationEntry = [delegator: Buffer, validator: Buffer, shares: bigint];

/** Delegations skipped in a row (delegators that did not vote) before the pass is re-opened at the next voter. */
const MAX_SKIP = 16;

/** Orders addresses as staking's length-prefixed keys do: by length, then bytes. */
export function compareKeyed(a: Uint8Array, b: Uint8Array): number {
  return a.length !== b.length ? a.length - b.length : compareBytes(a, b);
}

/**
 * A voter's delegations, read in one forward pass over staking's delegations when voters are asked
 * for in key order (any order stays correct: a voter not after the last one asked re-opens the pass).
 */
export class DelegationCursor {
  private pass: Iterator<DelegationEntry> | undefined;
  private head: DelegationEntry | undefined;
  private last: Uint8Array | undefined;

  constructor(private readonly open: (fromDelegator: Uint8Array) => Iterator<DelegationEntry>) {}

  /** [validator operator, shares] of each delegation of `voter`, in key order. */
  of(voter: Uint8Array): [Buffer, bigint][] {
    if (this.pass === undefined || (this.last !== undefined && compareKeyed(voter, this.last) <= 0)) this.reopen(voter);
    this.last = voter;
    let skipped = 0;
    while (this.head !== undefined && compareKeyed(this.head[0], voter) < 0) {
      if (++skipped > MAX_SKIP) {
        this.reopen(voter);
        break;
      }
      this.advance();
    }
    const out: [Buffer, bigint][] = [];
    while (this.head !== undefined && compareKeyed(this.head[0], voter) === 0) {
      out.push([this.head[1], this.head[2]]);
      this.advance();
    }
    return out;
  }

  /** Ends the pass (the store iterator is released). */
  close(): void {
    this.pass?.return?.();
    this.pass = undefined;
    this.head = undefined;
  }

  private reopen(from: Uint8Array): void {
    this.close();
    this.pass = this.open(from);
    this.advance();
  }

  private advance(): void {
    const r = this.pass!.next();
    this.head = r.done === true ? undefined : r.value;
  }
}
