#!/usr/bin/env bash
# promtool, for the alerting rules' test (test/alerts.test.ts), from Debian's prometheus package.
# MIRA_PROMTOOL points at another promtool.
set -euo pipefail
command -v "${MIRA_PROMTOOL:-promtool}" >/dev/null 2>&1 && exit 0
bash "$(dirname "$0")/apt-install.sh" prometheus "promtool (the alerting rules' test)"
# The package may start a Prometheus server; the tests need only its promtool.
(systemctl stop prometheus 2>/dev/null || service prometheus stop 2>/dev/null || pkill -x prometheus 2>/dev/null) || true
echo "setup-promtool: $(promtool --version 2>&1 | head -1)"
