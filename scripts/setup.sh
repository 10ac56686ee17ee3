#!/usr/bin/env bash
# Installs what the project needs, unattended and offline apart from the package registries:
# npm packages (native addons compiled with node-gyp against this Node's own headers).
# Safe to run again: it does nothing when the installed packages match package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

node_major=$(node -p 'process.versions.node.split(".")[0]')
node_minor=$(node -p 'process.versions.node.split(".")[1]')
if [ "$node_major" -lt 20 ] || { [ "$node_major" -eq 20 ] && [ "$node_minor" -lt 19 ]; }; then
  echo "setup: Node >= 20.19 is required (found $(node --version))" >&2
  exit 1
fi

# better-sqlite3 has no reachable prebuilt binary here: node-gyp compiles it. Point node-gyp at the
# headers shipped with this Node so that it does not try to download them.
node_prefix=$(dirname "$(dirname "$(command -v node)")")
if [ -z "${npm_config_nodedir:-}" ] && [ -f "$node_prefix/include/node/node_version.h" ]; then
  export npm_config_nodedir="$node_prefix"
fi
# prebuild-install would try GitHub first for better-sqlite3; skip straight to the local compile.
# (secp256k1 ships its prebuilt binaries inside the package and needs no download.)
export npm_config_build_from_source=better-sqlite3

stamp=node_modules/.mira-install-stamp
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing npm packages (compiles better-sqlite3, about a minute)..."
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi
node -e 'new (require("better-sqlite3"))(":memory:").close()' || {
  echo "setup: better-sqlite3 failed to load; remove node_modules and run again" >&2; exit 1; }
node -e 'require("secp256k1/bindings")' || {
  echo "setup: the native secp256k1 binding failed to load (the JS fallback would be ~20x slower); remove node_modules and run again" >&2; exit 1; }
node -e 'require("onnxruntime-node")' || {
  echo "setup: onnxruntime-node (the sidecar's CPU inference) failed to load; remove node_modules and run again" >&2; exit 1; }

# CometBFT, pinned, built from the Go module proxy into a project-local folder.
COMETBFT_VERSION=v0.38.26
cometbft_bin=.tools/bin/cometbft
if [ ! -x "$cometbft_bin" ] || [ "$("$cometbft_bin" version 2>/dev/null)" != "${COMETBFT_VERSION#v}" ]; then
  if ! command -v go >/dev/null 2>&1; then
    echo "setup: Go (>= 1.22.11) is needed to build CometBFT $COMETBFT_VERSION; install it and run again" >&2
    exit 1
  fi
  echo "setup: building CometBFT $COMETBFT_VERSION with go install (one to three minutes)..."
  mkdir -p .tools/bin
  GOBIN="$PWD/.tools/bin" GOFLAGS="${GOFLAGS:-} -buildvcs=false" go install "github.com/cometbft/cometbft/cmd/cometbft@$COMETBFT_VERSION"
  echo "setup: CometBFT $("$cometbft_bin" version) installed at $cometbft_bin"
fi

# The .proto files of the Cosmos SDK, ibc-go and CometBFT, pinned, from the Go module proxy into
# .tools/proto: the REST gateway (app/rest) takes its routes from their google.api.http options and
# its JSON names from their fields, as the SDK's grpc-gateway does. Nothing is generated into the repo.
PROTO_MODULES=(
  "github.com/cosmos/cosmos-sdk@v0.50.9:proto"
  "github.com/cosmos/ibc-go/v8@v8.8.0:proto"
  "github.com/cometbft/cometbft@$COMETBFT_VERSION:proto"
  "github.com/cosmos/gogoproto@v1.7.0:."
  "github.com/cosmos/cosmos-proto@v1.0.0-beta.5:proto"
  "github.com/gogo/googleapis@v1.4.1:."
)
proto_dir=.tools/proto
proto_want=$(printf '%s\n' "${PROTO_MODULES[@]}" | sha256sum | cut -d' ' -f1)
if [ ! -f "$proto_dir/.stamp" ] || [ "$(cat "$proto_dir/.stamp")" != "$proto_want" ]; then
  echo "setup: fetching the Cosmos SDK, ibc-go and CometBFT protos for the REST gateway..."
  rm -rf "$proto_dir.tmp" && mkdir -p "$proto_dir.tmp"
  for entry in "${PROTO_MODULES[@]}"; do
    module=${entry%%:*}; sub=${entry#*:}
    dir=$(go mod download -json "$module" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);if(!j.Dir){console.error(j.Error||"no Dir");process.exit(1)}console.log(j.Dir)})')
    (cd "$dir/$sub" && find . -name '*.proto' -print0) | while IFS= read -r -d '' f; do
      mkdir -p "$proto_dir.tmp/$(dirname "$f")"
      cp "$dir/$sub/$f" "$proto_dir.tmp/$f" && chmod u+w "$proto_dir.tmp/$f"
    done
  done
  rm -rf "$proto_dir" && mv "$proto_dir.tmp" "$proto_dir"
  echo "$proto_want" > "$proto_dir/.stamp"
  echo "setup: $(find "$proto_dir" -name '*.proto' | wc -l) proto files in $proto_dir"
fi
