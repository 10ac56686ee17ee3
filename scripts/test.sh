#!/usr/bin/env bash
# The test command (README): installs what is missing, builds, runs every tap test, and ends with
# a plain "N passed, N failed" line counted from the test run. Exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }
# The IBC tests run the Hermes relayer and ibc-go's simd: built once per machine (about 25 minutes the first time, cached
# outside the clone), before the tests so that no test's time limit pays for it.
bash scripts/setup-ibc.sh hermes simd || { echo "setup-ibc failed"; echo "0 passed, 1 failed"; exit 1; }
# Chromium for the browser test, from Debian's packages.
bash scripts/setup-browser.sh || { echo "setup-browser failed"; echo "0 passed, 1 failed"; exit 1; }
# promtool for the alerting rules' test, from Debian's prometheus package.
bash scripts/setup-promtool.sh || { echo "setup-promtool failed"; echo "0 passed, 1 failed"; exit 1; }
echo "test: compiling TypeScript..."
npx tsc -p tsconfig.json || { echo "0 passed, 1 failed"; exit 1; }
echo "test: building the certificate page..."
node scripts/build-web.js || { echo "0 passed, 1 failed"; exit 1; }
node scripts/run-tests.js "$@"
