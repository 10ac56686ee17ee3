import { Deposit, Params, Proposal, ProposalStatus, Vote } from "cosmjs-types/cosmos/gov/v1/gov";
import { parseAddress } from "../../app/core/address";
import { type Amount, parseCoins } from "../../app/core/coins";
import type { Context } from "../../app/core/context";
import { GovCode, govError } from "./errors";
import { checkVoteOptions, type GovKeeper } from "./keeper";
import { anyFromJson, protoJson } from "./msg-json";
import { DEFAULT_GOV_PARAMS } from "./params";
import { parseDecText } from "../../app/core/dec";

/**
 * `app_state.gov` in the SDK's JSON shape: params (any field left out keeps the SDK default), the
 * first proposal id, and proposals (messages with "@type"), deposits and votes, as an export writes them.
 */
export interface GovGenesis {
  starting_proposal_id?: string | number;
  params?: Record<string, unknown>;
  proposals?: Record<string, unknown>[];
  deposits?: Record<string, unknown>[];
  votes?: Record<string, unknown>[];
}

const invalid = (message: string) => govError(GovCode.InvalidGenesis, `gov genesis: ${message}`);

function parseProposal(json: Record<string, unknown>): Proposal {
  const messages = ((json["messages"] as Record<string, unknown>[] | undefined) ?? []).map((m) => anyFromJson(m));
  const { messages: _, ...rest } = json;
  void _;
  const p = Proposal.fromJSON(protoJson(rest));
  p.messages = messages;
  return p;
}

/**
 * Writes gov's params (checked as MsgUpdateParams checks them), the next proposal id, and the
 * proposals with their queue entries, deposits and votes; creates the gov module account. Throws
 * InvalidGenesis (gov 8) on a duplicate or dangling record, or when the gov account's balance is not
 * the sum of the deposits, and InvalidRequest (sdk 18) on bad params.
 */
export function initGovGenesis(ctx: Context, gov: GovKeeper, g: GovGenesis | undefined): void {
  gov.ensureModuleAccount(ctx);
  const params = g?.params === undefined ? DEFAULT_GOV_PARAMS : { ...DEFAULT_GOV_PARAMS, ...definedFields(Params.fromJSON(protoJson(g.params)), g.params) };
  gov.setParams(ctx, params);
  const start = BigInt(g?.starting_proposal_id ?? 1);
  if (start < 1n) throw invalid("starting_proposal_id must be at least 1");
  gov.setNextProposalId(ctx, start);
  const ids = new Set<bigint>();
  for (const json of g?.proposals ?? []) {
    const p = parseProposal(json);
    if (p.id === 0n || p.id >= start) throw invalid(`proposal id ${p.id} must be in [1, starting_proposal_id)`);
    if (ids.has(p.id)) throw invalid(`proposal ${p.id} appears twice`);
    if (p.status === ProposalStatus.PROPOSAL_STATUS_UNSPECIFIED) throw invalid(`proposal ${p.id} has no status`);
    ids.add(p.id);
    gov.setProposal(ctx, p);
    gov.enqueue(ctx, p);
  }
  let deposited: Amount[] = [];
  const seen = new Set<string>();
  for (const json of g?.deposits ?? []) {
    const d = Deposit.fromJSON(protoJson(json));
    if (!ids.has(d.proposalId)) throw invalid(`a deposit on proposal ${d.proposalId}, which genesis does not hold`);
    const key = `${d.proposalId}/${parseAddress(d.depositor).toString("hex")}`;
    if (seen.has(key)) throw invalid(`two deposits of ${d.depositor} on proposal ${d.proposalId}`);
    seen.add(key);
    const amount = parseCoins(d.amount, "deposit");
    const sum = new Map(deposited.map((c) => [c.denom, c.amount]));
    for (const c of amount) sum.set(c.denom, (sum.get(c.denom) ?? 0n) + c.amount);
    deposited = [...sum].map(([denom, a]) => ({ denom, amount: a }));
    gov.setDeposit(ctx, d);
  }
  for (const json of g?.votes ?? []) {
    const v = Vote.fromJSON(protoJson(json));
    if (!ids.has(v.proposalId)) throw invalid(`a vote on proposal ${v.proposalId}, which genesis does not hold`);
    checkVoteOptions(v.options.map((o) => ({ option: o.option, weight: parseDecText(o.weight, "vote weight") })));
    gov.setVote(ctx, v);
  }
  const held = gov.moduleBalance(ctx);
  const same =
    held.length === deposited.filter((c) => c.amount > 0n).length && held.every((c) => deposited.some((d) => d.denom === c.denom && d.amount === c.amount));
  if (!same)
    throw invalid(
      `the gov module account holds ${JSON.stringify(held.map((c) => `${c.amount}${c.denom}`))} but the deposits add up to ${JSON.stringify(deposited.map((c) => `${c.amount}${c.denom}`))}`,
    );
}

/** The fields of `parsed` that the JSON named (fromJSON fills absent ones with zeros, which must not replace the defaults). */
function definedFields(parsed: Params, json: Record<string, unknown>): Partial<Params> {
  const named = new Set(Object.keys(protoJson(json) as Record<string, unknown>));
  return Object.fromEntries(Object.entries(parsed).filter(([k]) => named.has(k))) as Partial<Params>;
}
