// The alerting rules (localnet/prometheus/alerts.yml) are valid Prometheus rules, and each alert fires
// on the series that should fire it and not on the healthy ones (promtool test rules, alerts.test.yml).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import t from "tap";
import { REPO_ROOT } from "../app/cli/cometbft";

const PROMTOOL = process.env["MIRA_PROMTOOL"] ?? "promtool";
const DIR = path.join(REPO_ROOT, "localnet", "prometheus");

function promtool(...args: string[]): { status: number | null; output: string } {
  const res = spawnSync(PROMTOOL, args, { cwd: DIR, encoding: "utf8" });
  if (res.error) throw new Error(`${PROMTOOL}: ${res.error.message} (scripts/setup-promtool.sh installs Debian's prometheus package)`);
  return { status: res.status, output: `${res.stdout}${res.stderr}` };
}

t.test("promtool check rules", async (t) => {
  const res = promtool("check", "rules", "alerts.yml");
  t.equal(res.status, 0, res.output);
  t.match(res.output, /SUCCESS: 8 rules found/);
});

t.test("promtool test rules: every alert fires when it should, and only then", async (t) => {
  const res = promtool("test", "rules", "alerts.test.yml");
  t.equal(res.status, 0, res.output);
  for (const alert of [
    "MiraBlocksHalted",
    "MiraValidatorMissingVerdicts",
    "MiraSidecarDown",
    "MiraValidatorSlashed",
    "MiraVerifierPunished",
    "MiraVerifierDrift",
    "MiraMempoolFull",
    "MiraDiskFilling",
  ]) {
    t.match(fs.readFileSync(path.join(DIR, "alerts.test.yml"), "utf8"), `alertname: ${alert}`, `${alert} is exercised`);
  }
});
