// The protobuf schemas the REST gateway reads (with protobufjs reflection): the Cosmos SDK's, ibc-go's
// and CometBFT's .proto files, which scripts/setup.sh fetches, pinned, from the Go module proxy into
// .tools/proto, and the chain's own proto/mira. Routes come from their google.api.http options and
// JSON names from their fields, as the SDK's grpc-gateway takes them; nothing is listed by hand.
import fs from "node:fs";
import path from "node:path";
import * as protobuf from "protobufjs";

/** The repository root, from app/grpc/protos.ts or dist/app/grpc/protos.js. */
export function repoRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    if (fs.existsSync(path.join(dir, "package.json")) && fs.existsSync(path.join(dir, "proto", "mira"))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error(`cannot find the repository root above ${__dirname}`);
}

/** The folders imports are looked up in, first match wins. */
function includeDirs(root: string): string[] {
  return [
    path.join(root, "proto"),
    path.join(root, "proto", "third_party"),
    path.join(root, ".tools", "proto"),
    // google/protobuf/descriptor.proto and the well-known types ship with protobufjs.
    path.dirname(require.resolve("protobufjs/package.json")),
  ];
}

function protoFiles(base: string, dir: string): string[] {
  const abs = path.join(base, dir);
  if (!fs.existsSync(abs)) return [];
  const out: string[] = [];
  for (const ent of fs.readdirSync(abs, { withFileTypes: true })) {
    const rel = `${dir}/${ent.name}`;
    if (ent.isDirectory()) out.push(...protoFiles(base, rel));
    else if (ent.name.endsWith(".proto")) out.push(rel);
  }
  return out.sort();
}

export class ProtosMissingError extends Error {}

let cached: { root: string; schema: protobuf.Root } | undefined;

/**
 * Every message, enum and service of the SDK (cosmos/), ibc-go (ibc/), CometBFT (tendermint/) and Mira
 * (mira/), resolved, with proto field names kept (keepCase). Loaded once per process (~0.4 s).
 * Throws ProtosMissingError when setup has not fetched the third-party protos.
 */
export function loadSchema(root = repoRoot()): protobuf.Root {
  if (cached?.root === root) return cached.schema;
  const thirdParty = path.join(root, ".tools", "proto");
  if (!fs.existsSync(path.join(thirdParty, "cosmos", "bank", "v1beta1", "query.proto"))) {
    throw new ProtosMissingError(`${thirdParty} has no Cosmos SDK protos: run scripts/setup.sh (npm run setup) first`);
  }
  const dirs = includeDirs(root);
  const schema = new protobuf.Root();
  schema.resolvePath = (_origin, target) => {
    for (const dir of dirs) {
      const file = path.join(dir, target);
      if (fs.existsSync(file)) return file;
    }
    throw new Error(`proto import ${JSON.stringify(target)} is in none of ${dirs.join(", ")}`);
  };
  const entries = [...["cosmos", "ibc", "tendermint"].flatMap((d) => protoFiles(thirdParty, d)), ...protoFiles(path.join(root, "proto"), "mira")];
  schema.loadSync(entries, { keepCase: true });
  schema.resolveAll();
  cached = { root, schema };
  return schema;
}
