#!/usr/bin/env bash
# Chromium for the browser test (test/web-certificate.test.ts), from Debian's packages: the browser
# downloads of puppeteer and playwright do not work here, so playwright-core drives this one.
# MIRA_CHROMIUM points at another Chromium.
set -euo pipefail
chromium=${MIRA_CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] && exit 0
bash "$(dirname "$0")/apt-install.sh" chromium "the browser test"
echo "setup-browser: $("$chromium" --version 2>/dev/null || echo chromium) installed"
