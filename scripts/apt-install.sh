#!/usr/bin/env bash
# Installs Debian package PKG with apt-get (refreshing the package lists once if the first try fails),
# for the setup scripts of tools that only some tests need. Root only; otherwise it says what to run.
# Usage: bash scripts/apt-install.sh PKG WHAT   (WHAT: what it is for, in the messages)
set -euo pipefail
pkg=$1; what=$2
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: $what needs Debian's $pkg package: run sudo apt-get install $pkg" >&2
  exit 1
fi
echo "setup: installing Debian's $pkg package for $what (a minute or two)..."
export DEBIAN_FRONTEND=noninteractive
log=/tmp/mira-apt-$pkg.log
apt-get install -y --no-install-recommends "$pkg" >"$log" 2>&1 ||
  { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends "$pkg" >"$log" 2>&1; } ||
  { echo "setup: apt-get install $pkg failed (log: $log)" >&2; exit 1; }
