// The lint step of npm test: ESLint (eslint.config.mjs: the recommended rules of ESLint and
// typescript-eslint) and Prettier's check (.prettierrc.json) over the whole tree, as `npm run lint`
// runs them. `npm run format` rewrites what Prettier would change.
import { spawnSync } from "node:child_process";
import path from "node:path";
import t from "tap";

const ROOT = path.resolve(__dirname, "..", "..");
const bin = (pkg: string, file: string): string => path.join(ROOT, "node_modules", pkg, file);

function run(args: string[]): { status: number | null; output: string } {
  const res = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return { status: res.status, output: `${res.stdout}${res.stderr}`.trim() };
}

t.test("ESLint finds no problem in the tree", async (t) => {
  const res = run([bin("eslint", "bin/eslint.js"), "--max-warnings", "0", "."]);
  t.equal(res.status, 0, res.output || "eslint passed");
});

t.test("Prettier would change no file", async (t) => {
  const res = run([bin("prettier", "bin/prettier.cjs"), "--check", "**/*.{ts,js,mjs,json}"]);
  t.equal(res.status, 0, res.output);
});
