// `mirad tx claims submit`: submits content (or a list of claims) for verification, then prints the
// content id and claim ids the chain gave it.
import fs from "node:fs";
import { toHex } from "@cosmjs/encoding";
import type { CometClient } from "@cosmjs/tendermint-rpc";
import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import { MsgSubmitContent, MsgSubmitContentResponse } from "../../proto/gen/mira/claims/v1/tx";
import { integerFlag, ParsedFlags, parseFlags, positionalArguments, printHelp } from "./flags";
import type { CliContext, CommandHandler } from "./command";
import { parseOutputFormat, printJson, printRecords, usageError } from "./output";
import { withNode } from "./query-client";
import { runTx, TX_FLAGS, txHelp } from "./tx-broadcast";

const SUBMIT_TYPE_URL = "/mira.claims.v1.MsgSubmitContent";

const SUBMIT_FLAGS = {
  ...TX_FLAGS,
  content: { type: "string" },
  "content-file": { type: "string" },
  claim: { type: "string", multiple: true },
  source: { type: "string" },
  "source-file": { type: "string" },
  "threshold-bp": { type: "string" },
  verifiers: { type: "string" },
} as const;

const SUBMIT_HELP = txHelp(
  `Submit content for verification (the chain splits it into claims, or takes the --claim list as it is, assigns
each claim to validators and writes a certificate once all are settled), then print the content id and claim ids`,
  `mirad tx claims submit <from> (--content TEXT | --content-file FILE | --claim TEXT...) [flags]
       e.g. mirad tx claims submit alice --content "Water boils at 100 °C at sea level." --gas auto --gas-prices 0.025umira`,
  `      --content TEXT               the content, split into claims by the chain (sentences)
      --content-file FILE          or: the content, from a UTF-8 file
      --claim TEXT                 or: one claim, as it is; repeat the flag for each claim
      --source TEXT                source context the verifiers check the claims against (optional)
      --source-file FILE           or: the source context, from a UTF-8 file
      --threshold-bp N             stake share (basis points) that must agree to certify a claim (default: the chain's,
                                   'mirad query claims params' shows it and the least allowed)
      --verifiers N                validators that verify each claim (default: the chain's); the fee scales with it
`,
);

export const COMMANDS: Readonly<Record<string, CommandHandler>> = { submit: submitCommand };

/** What the submitter asks for, checked before the keyring or the node is touched. */
interface Submission {
  content: string;
  claims: string[];
  sourceContext: string;
  thresholdBp: number;
  verifiersPerClaim: number;
}

async function submitCommand(args: string[], ctx: CliContext): Promise<number> {
  const command = "tx claims submit";
  const flags = parseFlags(args, SUBMIT_FLAGS, command);
  if (flags.values.help === true) return printHelp(SUBMIT_HELP);
  const [from] = positionalArguments(flags.positionals, ["from"], command);
  const submission = submissionOf(flags.values, command);
  const output = parseOutputFormat(flags.values.output);
  let submitter: string | undefined;
  const code = await runTx(flags.values, command, ctx, {
    from,
    messages: (key) => {
      submitter = key.address;
      return [{ typeUrl: SUBMIT_TYPE_URL, value: MsgSubmitContent.fromPartial({ submitter: key.address, ...submission }) }];
    },
    describe: (key) => `Submit ${describeSubmission(submission)} for verification, from "${key.name}" (${key.address})`,
  });
  if (code !== 0 || submitter === undefined) return code;
  const address = submitter;
  const submitted = await withNode(flags.values.node, (comet) => latestSubmission(comet, address));
  const result = { content_id: submitted.contentId.toString(), claim_ids: submitted.claimIds.map(String), txhash: submitted.txhash };
  if (output === "json") printJson(result);
  else printRecords([{ ...result, claim_ids: result.claim_ids.join(",") }]);
  return 0;
}

type SubmitFlagValues = ParsedFlags<typeof SUBMIT_FLAGS>["values"];

function submissionOf(values: SubmitFlagValues, command: string): Submission {
  const given = [
    values.content !== undefined && "--content",
    values["content-file"] !== undefined && "--content-file",
    values.claim !== undefined && "--claim",
  ].filter((flag): flag is string => flag !== false);
  if (given.length === 0) throw usageError("nothing to submit: give --content TEXT, --content-file FILE or --claim TEXT (repeated)", command);
  if (given.length > 1) throw usageError(`give one of --content, --content-file and --claim, not ${given.join(" and ")}`, command);
  const claims = values.claim ?? [];
  const content = values.content ?? (values["content-file"] === undefined ? "" : readTextFile(values["content-file"], "--content-file"));
  if (claims.length === 0 && content.trim() === "") throw usageError("the content is empty", command);
  claims.forEach((claim, i) => {
    if (claim.trim() === "") throw usageError(`--claim number ${i + 1} is empty`, command);
  });
  if (values.source !== undefined && values["source-file"] !== undefined) throw usageError("give --source or --source-file, not both", command);
  const sourceContext = values.source ?? (values["source-file"] === undefined ? "" : readTextFile(values["source-file"], "--source-file"));
  const thresholdBp = integerFlag(values["threshold-bp"], "threshold-bp", command) ?? 0;
  if (values["threshold-bp"] !== undefined && (thresholdBp < 1 || thresholdBp > 10_000)) {
    throw usageError(`--threshold-bp must be in basis points, 1 to 10000, got ${thresholdBp}`, command);
  }
  const verifiersPerClaim = integerFlag(values.verifiers, "verifiers", command) ?? 0;
  if (values.verifiers !== undefined && (verifiersPerClaim < 1 || verifiersPerClaim > 0xffff_ffff)) {
    throw usageError(`--verifiers must be 1 or more, got ${verifiersPerClaim}`, command);
  }
  return { content, claims, sourceContext, thresholdBp, verifiersPerClaim };
}

function readTextFile(file: string, flag: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`cannot read ${flag} ${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

function describeSubmission(s: Submission): string {
  const what = s.claims.length > 0 ? `${s.claims.length} claim(s)` : `content of ${Buffer.byteLength(s.content, "utf8")} bytes`;
  const source = s.sourceContext === "" ? "" : ` with ${Buffer.byteLength(s.sourceContext, "utf8")} bytes of source context`;
  const threshold = s.thresholdBp === 0 ? "" : `, threshold ${s.thresholdBp} bp`;
  const verifiers = s.verifiersPerClaim === 0 ? "" : `, ${s.verifiersPerClaim} verifier(s) per claim`;
  return `${what}${source}${threshold}${verifiers}`;
}

interface Submitted {
  contentId: bigint;
  claimIds: bigint[];
  txhash: string;
}

/**
 * The ids the chain gave the submitter's latest content, from the MsgSubmitContentResponse in its tx's
 * result. (runTx prints the tx's result but does not hand it back, so the tx is found again by its sender.)
 */
async function latestSubmission(comet: CometClient, submitter: string): Promise<Submitted> {
  const found = await comet.txSearch({ query: `message.sender='${submitter}' AND message.action='${SUBMIT_TYPE_URL}'`, order_by: "desc", per_page: 1 });
  const tx = found.txs[0];
  const response =
    tx?.result.data === undefined ? undefined : TxMsgData.decode(tx.result.data).msgResponses.find((r) => r.typeUrl === `${SUBMIT_TYPE_URL}Response`);
  if (tx === undefined || response === undefined) {
    throw new Error(
      `the tx was included, but its content id could not be read back; 'mirad query claims claims-by-submitter ${submitter}' lists the contents of ${submitter}`,
    );
  }
  const { contentId, claimIds } = MsgSubmitContentResponse.decode(response.value);
  return { contentId, claimIds, txhash: toHex(tx.hash).toUpperCase() };
}
