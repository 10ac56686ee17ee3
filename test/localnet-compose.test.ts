// docker-compose.yml describes the same network as the process localnet: same homes, same ports.
import fs from "node:fs";
import path from "node:path";
import t from "tap";
import { REPO_ROOT } from "../app/cli/cometbft";
import { MIRAD_NODE_FLAGS, ports } from "../localnet/localnet";

t.test("docker-compose.yml runs the localnet's four validators with its ports", async (t) => {
  const compose = fs.readFileSync(path.join(REPO_ROOT, "docker-compose.yml"), "utf8");
  t.match(compose, /network_mode: host/, "host networking keeps 127.0.0.1 addresses");
  t.match(compose, /dist\/localnet\/localnet\.js", "init"/, "genesis and homes come from the same script");
  for (let i = 0; i < 4; i++) {
    const p = ports(i);
    t.ok(
      compose.includes(
        `"--home", "localnet/.data/node${i}/app", "--abci", "tcp://127.0.0.1:${p.abci}", "--grpc", "127.0.0.1:${p.grpc}", "--rest", "127.0.0.1:${p.rest}", "--rpc", "http://127.0.0.1:${p.rpc}"`,
      ),
      `node${i}-mirad uses the localnet's home and ports`,
    );
    t.ok(
      compose.includes(
        `["node", ${MIRAD_NODE_FLAGS.map((f) => `"${f}"`).join(", ")}, "dist/app/cli/main.js", "start", "--home", "localnet/.data/node${i}/app"`,
      ),
      `node${i}-mirad runs with the localnet's node flags`,
    );
    t.ok(compose.includes(`"cometbft", "start", "--home", "localnet/.data/node${i}/cometbft"`), `node${i}-cometbft uses the localnet's home`);
    t.ok(
      compose.includes(`"--sidecar", "127.0.0.1:${p.sidecar}", "--priv-validator-key", "localnet/.data/node${i}/cometbft/config/priv_validator_key.json"`),
      `node${i}-mirad uses its sidecar`,
    );
    t.match(
      compose,
      new RegExp(`"sidecar", "--model", "localnet/\\.data/models/[a-z-]+\\.onnx", "--listen", "127\\.0\\.0\\.1:${p.sidecar}"`),
      `node${i}-sidecar serves a model on the localnet's port`,
    );
  }
  const dockerfile = fs.readFileSync(path.join(REPO_ROOT, "Dockerfile"), "utf8");
  const setup = fs.readFileSync(path.join(REPO_ROOT, "scripts", "setup.sh"), "utf8");
  const pinned = /COMETBFT_VERSION=(v[0-9.]+)/.exec(setup)![1]!;
  t.ok(dockerfile.includes(`cometbft@${pinned}`), `the image builds the same pinned CometBFT ${pinned}`);
});
