// The layout: every relative import of the non-test code obeys the table of docs/architecture.md
// and no files import each other in a cycle; every module folder has the one shape; README.md stays
// a newcomer's page; no path that README.md or docs/ names is missing. The checker is also run on
// the real tree with one forbidden edge added, so this test shows it would catch each kind.
import fs from "node:fs";
import path from "node:path";
import t from "tap";
import { importsOf, layoutProblems, readRule, readSources } from "./helpers/layout";

const ROOT = path.resolve(__dirname, "..", "..");
const SOURCE_FOLDERS = ["abci", "app", "modules", "proto", "localnet", "bench"];
const MODULE_FILES = ["keeper.ts", "msgs.ts", "queries.ts", "keys.ts", "genesis.ts", "errors.ts", "events.ts", "expected-keepers.ts"];

const rule = readRule(fs.readFileSync(path.join(ROOT, "docs", "architecture.md"), "utf8"));
const sources = readSources(ROOT, SOURCE_FOLDERS);

/** The tree with `line` added at the top of `file` (a new file when it does not exist). */
function withLine(file: string, line: string): Map<string, string> {
  const copy = new Map(sources);
  copy.set(file, `${line}\n${copy.get(file) ?? ""}`);
  return copy;
}

t.test("the import table is read from docs/architecture.md", async (t) => {
  const names = rule.map((l) => l.name);
  for (const layer of ["proto", "abci", "store", "core", "module", "grpc", "keyring", "sidecar", "chain", "cli", "localnet", "bench"])
    t.ok(names.includes(layer), `a row for ${layer}`);
  t.same([...rule.find((l) => l.name === "sidecar")!.mayImport], ["proto"], "the sidecar may import only proto");
  t.same([...rule.find((l) => l.name === "proto")!.mayImport], [], "proto imports nothing of ours");
  t.ok(sources.size > 150, `${sources.size} source files read`);
});

t.test("every relative import of the non-test code is allowed, and no files import each other in a cycle", async (t) => {
  const problems = layoutProblems(rule, sources);
  t.same(problems, [], problems.join("\n"));
});

t.test("the checker sees every kind of import", async (t) => {
  const found = importsOf(
    "app/x.ts",
    [
      'import a from "./a";',
      'import type { B } from "./b";',
      'import { type C } from "./c";',
      'export { d } from "./d";',
      'export type { E } from "./e";',
      'const f = require("./f") as typeof import("./g");',
      'void import("./h");',
      'import "./i";',
      'import { j, type J } from "./j";',
      'import x from "node:fs";',
    ].join("\n"),
  );
  t.same(
    found.map((i) => [i.spec, i.typeOnly]),
    [
      ["./a", false],
      ["./b", true],
      ["./c", true],
      ["./d", false],
      ["./e", true],
      ["./f", false],
      ["./g", true],
      ["./h", false],
      ["./i", false],
      ["./j", false],
    ],
  );
});

t.test("the checker fails on each forbidden edge it exists to stop", async (t) => {
  const cases: [string, string, string, RegExp][] = [
    [
      "a module imports app/chain/",
      "modules/claims/keeper.ts",
      'import { MiraApp } from "../../app/chain/app";',
      /modules\/claims\/keeper\.ts:1 imports app\/chain\/app\.ts: layer module .* may not import layer chain/,
    ],
    [
      "the sidecar imports a module",
      "app/sidecar/service.ts",
      'import { settleAtDeadline } from "../../modules/claims/tally";',
      /app\/sidecar\/service\.ts:1 imports modules\/claims\/tally\.ts: layer sidecar .* may not import layer module/,
    ],
    ["the sidecar imports the framework", "app/sidecar/model.ts", 'import { ChainError } from "../core/errors";', /layer sidecar .* may not import layer core/],
    ["two CLI files import each other", "app/cli/command.ts", 'import { run } from "./keys";', /import cycle: .*app\/cli\/command\.ts.*app\/cli\/keys\.ts/],
    ["the store imports the framework", "app/store/tree.ts", 'import { Context } from "../core/context";', /layer store .* may not import layer core/],
    [
      "a module uses another module's code",
      "modules/distribution/keeper.ts",
      'import { StakingKeeper } from "../staking/keeper";',
      /another module may be named only in expected-keepers\.ts/,
    ],
    [
      "a module names another module as a value in expected-keepers",
      "modules/distribution/expected-keepers.ts",
      'import { StakingKeeper } from "../staking/keeper";',
      /another module may be imported only with "import type"/,
    ],
    [
      "core imports a module",
      "app/core/router.ts",
      'import type { BankKeeper } from "../../modules/bank/keeper";',
      /layer core .* may not import layer module/,
    ],
    ["localnet is imported by the CLI", "app/cli/init.ts", 'import "../../localnet/localnet";', /layer cli .* may not import layer localnet/],
  ];
  for (const [what, file, line, expected] of cases) {
    t.ok(sources.has(file), `${file} exists`);
    const problems = layoutProblems(rule, withLine(file, line));
    t.ok(
      problems.some((p) => expected.test(p)),
      `${what}: caught (${problems.join("; ") || "nothing reported"})`,
    );
  }
  const allowed = layoutProblems(rule, withLine("modules/distribution/expected-keepers.ts", 'import type { StakingKeeper } from "../staking/keeper";'));
  t.same(allowed, [], "a type-only import of another module in expected-keepers.ts is allowed");
});

t.test("every module folder has the one shape", async (t) => {
  const modules = fs
    .readdirSync(path.join(ROOT, "modules"), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
  t.ok(modules.length >= 8, `${modules.join(", ")}`);
  for (const m of modules) {
    const missing = MODULE_FILES.filter((f) => !fs.existsSync(path.join(ROOT, "modules", m, f)));
    t.same(missing, [], `modules/${m} has ${MODULE_FILES.join(", ")}`);
  }
});

t.test("README.md is a newcomer's page, and no path README.md or docs/ names is missing", async (t) => {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const lines = readme.split("\n").length;
  t.ok(lines <= 200, `README.md has ${lines} lines (at most 200)`);
  for (const needed of ["npm run localnet", "npm test", "SigningStargateClient", "docs/architecture.md"])
    t.ok(readme.includes(needed), `README.md mentions ${needed}`);
  const pages = [
    "README.md",
    ...fs
      .readdirSync(path.join(ROOT, "docs"))
      .filter((f) => f.endsWith(".md"))
      .map((f) => `docs/${f}`),
  ];
  const top = /^(?:abci|app|bench|docs|localnet|modules|proto|scripts|test)\//;
  let checked = 0;
  for (const page of pages) {
    const text = fs.readFileSync(path.join(ROOT, page), "utf8");
    const dir = path.posix.dirname(page);
    // Backticked repo paths (`app/core/errors.ts`, `modules/<name>/`) and relative markdown links.
    const named = [...text.matchAll(/`([^`\s]+)`/g)].map((m) => m[1]!).filter((p) => top.test(p));
    const linked = [...text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)]
      .map((m) => m[1]!)
      .filter((p) => !/^[a-z]+:/.test(p))
      .map((p) => path.posix.normalize(path.posix.join(dir, p)));
    for (const p of [...named, ...linked]) {
      const concrete = p
        .replace(/<name>\/?.*$/, "")
        .replace(/[*].*$/, "")
        .replace(/[:#].*$/, "");
      // Build output and what the localnet writes when it runs are not in the tree.
      if (concrete.startsWith("dist/") || concrete.startsWith("localnet/.data/")) continue;
      checked++;
      if (!fs.existsSync(path.join(ROOT, concrete))) t.fail(`${page} names ${p}, which does not exist`);
    }
  }
  t.ok(checked > 50, `${checked} paths checked`);
});
