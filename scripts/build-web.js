#!/usr/bin/env node
// Builds the certificate page (app/web) into dist/web with esbuild: one bundle (app.js), index.html and
// style.css, no CDN. The page reuses the light client's hashing (modules/ibc/lightclient), so node:crypto
// is mapped to a small shim over @noble/hashes and @noble/curves and a Buffer is injected. The page is
// type-checked first with its own tsconfig (DOM types). mirad serves dist/web at / on its REST port.
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const esbuild = require("esbuild");

const root = path.join(__dirname, "..");
const src = path.join(root, "app", "web");
const out = path.join(root, "dist", "web");

execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(src, "tsconfig.json")], { stdio: "inherit" });
fs.mkdirSync(out, { recursive: true });
const result = esbuild.buildSync({
  entryPoints: [path.join(src, "page.ts")],
  bundle: true,
  outfile: path.join(out, "app.js"),
  platform: "browser",
  format: "iife",
  target: ["chrome110", "firefox110", "safari16"],
  minify: true,
  sourcemap: true,
  alias: { "node:crypto": path.join(src, "shims", "node-crypto.ts") },
  inject: [path.join(src, "shims", "buffer.ts")],
  define: { "process.env.NODE_ENV": '"production"' },
  legalComments: "linked",
  metafile: true,
  logLevel: "warning",
});
for (const file of ["index.html", "style.css"]) fs.copyFileSync(path.join(src, file), path.join(out, file));
const bytes = fs.statSync(path.join(out, "app.js")).size;
process.stdout.write(`build-web: dist/web/app.js ${(bytes / 1024).toFixed(0)} KiB from ${Object.keys(result.metafile.inputs).length} modules\n`);
