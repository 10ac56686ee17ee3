import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Test } from "tap";

/** A fresh temp folder removed when the test ends. */
export function tempDir(t: Test, name = "mira-test-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), name));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}
