#!/usr/bin/env bash
# promtool, for the alerting rules' test (test/alerts.test.ts), from Debian's prometheus package.
# Installs it with apt-get when it is missing and this runs as root; otherwise says what to do.
set -euo pipefail
promtool=${MIRA_PROMTOOL:-promtool}
if command -v "$promtool" >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "setup-promtool: installing Debian's prometheus package for promtool (a minute)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends prometheus >/tmp/mira-apt-prometheus.log 2>&1 ||
    { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends prometheus >/tmp/mira-apt-prometheus.log 2>&1; } ||
    { echo "setup-promtool: apt-get install prometheus failed (log: /tmp/mira-apt-prometheus.log)" >&2; exit 1; }
  # The package starts a Prometheus server; the tests need only its promtool.
  (systemctl stop prometheus 2>/dev/null || service prometheus stop 2>/dev/null || pkill -x prometheus 2>/dev/null) || true
  echo "setup-promtool: $(promtool --version 2>&1 | head -1)"
else
  echo "setup-promtool: no promtool: install Debian's prometheus package (sudo apt-get install prometheus) or set MIRA_PROMTOOL" >&2
  exit 1
fi
