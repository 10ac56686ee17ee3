# The image docker-compose.yml runs: mirad (Node 20) and the pinned CometBFT in one image, with the
# Cosmos SDK, ibc-go and CometBFT protos that the REST gateway reads and the certificate page.
FROM golang:1.23-bookworm AS cometbft
RUN GOBIN=/out go install github.com/cometbft/cometbft/cmd/cometbft@v0.38.26
# The same modules and folders as scripts/setup.sh (PROTO_MODULES), copied to /proto.
RUN set -e; mkdir -p /proto; \
    for entry in github.com/cosmos/cosmos-sdk@v0.50.9:proto github.com/cosmos/ibc-go/v8@v8.8.0:proto \
                 github.com/cometbft/cometbft@v0.38.26:proto github.com/cosmos/gogoproto@v1.7.0:. \
                 github.com/cosmos/cosmos-proto@v1.0.0-beta.5:proto github.com/gogo/googleapis@v1.4.1:.; do \
      module=${entry%%:*}; sub=${entry#*:}; \
      dir=$(go mod download -json "$module" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'); \
      (cd "$dir/$sub" && find . -name '*.proto' -exec cp --parents {} /proto/ \;); \
    done

FROM node:20-bookworm
WORKDIR /mira
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx tsc -p tsconfig.json && node scripts/build-web.js
COPY --from=cometbft /out/cometbft /mira/.tools/bin/cometbft
COPY --from=cometbft /proto /mira/.tools/proto
ENV PATH="/mira/.tools/bin:${PATH}"
