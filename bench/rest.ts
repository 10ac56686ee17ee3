// REST against gRPC: bank balance queries per second answered by node0 of a 4-validator localnet,
// over its REST API (plain HTTP/1.1 keep-alive, the SDK gateway's JSON) and over its gRPC server
// (@grpc/grpc-js, protobuf), with the same load: C concurrent callers for D seconds each, the two
// transports alternated R times so that the machine's noise falls on both. Prints one JSON object
// per figure on stdout (progress on stderr): rest_balance_qps, grpc_balance_qps (medians of the
// rounds) and rest_to_grpc (their ratio; goal: at least 0.7).
//
//   npx tsc -p tsconfig.json && node dist/bench/rest.js [--seconds D] [--concurrency C] [--rounds R] [--keep]
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import * as grpc from "@grpc/grpc-js";
import { QueryBalanceRequest, QueryBalanceResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { restPort } from "../localnet/localnet";
import { freeOffset, startMiraLocalnet } from "./helpers/network";

const OFFSETS = [4_000, 5_000];

function emit(metric: string, value: number, unit: string, params: Record<string, string | number>): void {
  process.stdout.write(`${JSON.stringify({ bench: "rest", metric, value, unit, params })}\n`);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs `call` from `concurrency` loops for `seconds`; returns calls per second (each call checked by `call`). */
async function load(call: () => Promise<void>, concurrency: number, seconds: number): Promise<number> {
  let done = 0;
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await call();
        done++;
      }
    }),
  );
  return done / ((performance.now() - start) / 1000);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: "string", default: "10" },
      concurrency: { type: "string", default: "16" },
      rounds: { type: "string", default: "3" },
      keep: { type: "boolean", default: false },
    },
  });
  const seconds = Number(values.seconds);
  const concurrency = Number(values.concurrency);
  const rounds = Number(values.rounds);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mira-bench-rest-"));
  const offset = await freeOffset(OFFSETS);
  process.stderr.write(`bench rest: starting a 4-validator localnet in ${dir} (port offset ${offset})\n`);
  const net = await startMiraLocalnet(dir, offset);
  try {
    const accounts = JSON.parse(fs.readFileSync(path.join(dir, "accounts.json"), "utf8")) as { address: string }[];
    const address = accounts[0]!.address;
    const restBase = `http://127.0.0.1:${restPort(offset)}`;
    const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
    const restPath = `/cosmos/bank/v1beta1/balances/${address}/by_denom?denom=umira`;
    const restCall = () =>
      new Promise<void>((resolve, reject) => {
        http
          .get(`${restBase}${restPath}`, { agent }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => {
              const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { balance?: { amount?: string } };
              if (res.statusCode !== 200 || !body.balance?.amount) reject(new Error(`REST answered ${res.statusCode}`));
              else resolve();
            });
          })
          .on("error", reject);
      });
    const client = new grpc.Client(`127.0.0.1:${9090 + offset}`, grpc.credentials.createInsecure());
    const request = Buffer.from(QueryBalanceRequest.encode({ address, denom: "umira" }).finish());
    const grpcCall = () =>
      new Promise<void>((resolve, reject) => {
        client.makeUnaryRequest<Buffer, Buffer>(
          "/cosmos.bank.v1beta1.Query/Balance",
          (b) => b,
          (b) => b,
          request,
          (err, res) => {
            if (err) return reject(err);
            if (!QueryBalanceResponse.decode(res!).balance?.amount) return reject(new Error("gRPC answered no balance"));
            resolve();
          },
        );
      });
    // Warm both paths (JIT, connections) before the clock.
    await load(restCall, concurrency, 2);
    await load(grpcCall, concurrency, 2);
    const rest: number[] = [];
    const grpcQps: number[] = [];
    for (let r = 0; r < rounds; r++) {
      rest.push(await load(restCall, concurrency, seconds));
      grpcQps.push(await load(grpcCall, concurrency, seconds));
      process.stderr.write(`bench rest: round ${r + 1}: REST ${rest[r]!.toFixed(0)}/s, gRPC ${grpcQps[r]!.toFixed(0)}/s\n`);
    }
    client.close();
    agent.destroy();
    const params = {
      seconds,
      concurrency,
      rounds,
      node: "node0 of the 4-validator localnet",
      rest_rounds: rest.map((x) => Math.round(x)).join(","),
      grpc_rounds: grpcQps.map((x) => Math.round(x)).join(","),
    };
    const restMedian = median(rest);
    const grpcMedian = median(grpcQps);
    emit("rest_balance_qps", Math.round(restMedian), "queries/s", params);
    emit("grpc_balance_qps", Math.round(grpcMedian), "queries/s", params);
    emit("rest_to_grpc", Math.round((restMedian / grpcMedian) * 100) / 100, "ratio", { ...params, goal: ">= 0.7" });
  } finally {
    await net.stop();
    if (!values.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench rest: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
