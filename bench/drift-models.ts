// The localnet's four reference verification models (one variant per node, as localnet/localnet.ts
// assigns them) run on the sidecar's labelled evaluation claims: each one's verdict and confidence per
// claim, for bench/drift.ts to replay through the drift rule (real models, not assumed accuracies).
import path from "node:path";
import { REPO_ROOT } from "../app/cli/cometbft";
import { generateExamples } from "../app/sidecar/dataset";
import { VerificationModel } from "../app/sidecar/model";
import { cachedVariant, referenceModelCache, VARIANTS } from "../app/sidecar/train";
import type { Vote } from "../modules/claims/tally";

export interface ModelAnswers {
  variant: string;
  answers: { vote: Vote; confidenceBp: number }[];
}

/** Each localnet node's model (node i: the i-th variant) on `count` evaluation claims of every label. */
export async function localnetModelAnswers(count: number): Promise<{ models: ModelAnswers[]; labels: string[] }> {
  const examples = generateExamples("eval", count);
  const cache = referenceModelCache(REPO_ROOT);
  const models: ModelAnswers[] = [];
  for (const variant of Object.keys(VARIANTS).slice(0, 4)) {
    cachedVariant(cache, variant);
    const model = await VerificationModel.load(path.join(cache, `${variant}.onnx`));
    const out = await model.verify(examples.map((e) => ({ claim: e.claim, source: e.source })));
    models.push({ variant, answers: out.map((v) => ({ vote: v.verdict as Vote, confidenceBp: v.confidenceBp })) });
  }
  return { models, labels: examples.map((e) => e.label) };
}
