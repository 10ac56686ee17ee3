# The image docker-compose.yml runs: mirad (Node 20) and the pinned CometBFT in one image.
FROM golang:1.23-bookworm AS cometbft
RUN GOBIN=/out go install github.com/cometbft/cometbft/cmd/cometbft@v0.38.26

FROM node:20-bookworm
WORKDIR /mira
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx tsc -p tsconfig.json
COPY --from=cometbft /out/cometbft /mira/.tools/bin/cometbft
ENV PATH="/mira/.tools/bin:${PATH}"
