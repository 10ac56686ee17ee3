#!/usr/bin/env bash
# Chromium for the browser test (test/web-certificate.test.ts), from Debian's packages: the browser
# downloads of puppeteer and playwright do not work here, so playwright-core drives this one.
# Installs it with apt-get when it is missing and this runs as root; otherwise says what to do.
set -euo pipefail
chromium=${MIRA_CHROMIUM:-/usr/bin/chromium}
if [ -x "$chromium" ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "setup-browser: installing Debian's chromium package for the browser test (a minute or two)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends chromium >/tmp/mira-apt-chromium.log 2>&1 ||
    { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends chromium >/tmp/mira-apt-chromium.log 2>&1; } ||
    { echo "setup-browser: apt-get install chromium failed (log: /tmp/mira-apt-chromium.log)" >&2; exit 1; }
  echo "setup-browser: $("$chromium" --version 2>/dev/null || echo chromium) installed"
else
  echo "setup-browser: no Chromium at $chromium: install Debian's chromium package (sudo apt-get install chromium) or set MIRA_CHROMIUM" >&2
  exit 1
fi
