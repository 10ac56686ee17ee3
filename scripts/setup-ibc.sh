#!/usr/bin/env bash
# Installs the IBC tools, pinned, built from the registries: the Hermes relayer (ibc-relayer-cli 1.10.5
# from the Rust crate registry, about 14 minutes on 2 cores) and ibc-go v8.8.0's simd (from the Go module
# proxy, about 10 minutes). Each is built once per machine into a cache outside the clone
# ($MIRA_TOOLS_CACHE, default ~/.cache/mira), since CI runs in a fresh clone, and linked into .tools/bin.
# Safe to run again, and from two processes at once (a lock serialises the builds).
#
#   bash scripts/setup-ibc.sh [hermes] [simd]     (both when none is named)
set -euo pipefail
cd "$(dirname "$0")/.."

HERMES_VERSION=1.10.5
IBC_GO_VERSION=v8.8.0
cache=${MIRA_TOOLS_CACHE:-$HOME/.cache/mira}
mkdir -p "$cache" .tools/bin
want=("$@")
[ ${#want[@]} -eq 0 ] && want=(hermes simd)

exec 9>"$cache/.setup-ibc.lock"
flock 9

for tool in "${want[@]}"; do
  case "$tool" in
    hermes)
      bin="$cache/hermes-$HERMES_VERSION/bin/hermes"
      if [ ! -x "$bin" ] || ! "$bin" version 2>/dev/null | grep -q "$HERMES_VERSION"; then
        command -v cargo >/dev/null 2>&1 || { echo "setup-ibc: cargo (Rust) is needed to build Hermes $HERMES_VERSION" >&2; exit 1; }
        echo "setup-ibc: building Hermes $HERMES_VERSION with cargo install (about 14 minutes on 2 cores, once per machine)..."
        cargo install ibc-relayer-cli --version "$HERMES_VERSION" --locked --root "$cache/hermes-$HERMES_VERSION"
      fi
      ln -sf "$bin" .tools/bin/hermes
      ;;
    simd)
      bin="$cache/simd-$IBC_GO_VERSION/simd"
      if [ ! -x "$bin" ]; then
        command -v go >/dev/null 2>&1 || { echo "setup-ibc: Go is needed to build ibc-go $IBC_GO_VERSION's simd" >&2; exit 1; }
        echo "setup-ibc: building ibc-go $IBC_GO_VERSION's simd (about 10 minutes, once per machine)..."
        # go install refuses the module (its go.mod has a replace directive): download it, copy it out of
        # the read-only module cache, and build the simapp inside the copy.
        dir=$(go mod download -json "github.com/cosmos/ibc-go/v8@$IBC_GO_VERSION" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).Dir))')
        src="$cache/ibc-go-$IBC_GO_VERSION-src"
        rm -rf "$src"
        cp -r "$dir" "$src"
        chmod -R u+w "$src"
        (cd "$src" && GOFLAGS="${GOFLAGS:-} -buildvcs=false" go build -o "$bin.tmp" ./testing/simapp/simd)
        mv "$bin.tmp" "$bin"
      fi
      ln -sf "$bin" .tools/bin/simd
      ;;
    *)
      echo "setup-ibc: unknown tool $tool (hermes, simd)" >&2
      exit 2
      ;;
  esac
done
