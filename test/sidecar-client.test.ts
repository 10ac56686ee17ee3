// The node's sidecar client (app/chain/sidecar-client.ts) against a scripted Verifier: a sidecar may
// leave items out (its model gave no verdict: the LLM judge on an answer it cannot parse, a model that
// abstains), and the verdicts it did give still count; results that were not asked, come out of
// order or twice are refused as a whole.
import * as grpc from "@grpc/grpc-js";
import t from "tap";
import { SidecarClient, type VerifyItem } from "../app/chain/sidecar-client";
import { Verdict } from "../proto/gen/mira/claims/v1/claims";
import { VerifierMethods, VerifyRequest, VerifyResponse, type VerifyResult } from "../proto/gen/mira/verifier/v1/verifier";

/** A Verifier whose answer to a request is `answer(requested claim ids)`. */
async function scriptedSidecar(answer: (ids: bigint[]) => bigint[]): Promise<{ address: string; close(): Promise<void> }> {
  const server = new grpc.Server();
  const definition: grpc.ServiceDefinition = {
    Verify: {
      path: VerifierMethods.Verify,
      requestStream: false,
      responseStream: false,
      requestSerialize: (m: VerifyRequest) => Buffer.from(VerifyRequest.encode(m).finish()),
      requestDeserialize: (b: Buffer) => VerifyRequest.decode(b),
      responseSerialize: (m: VerifyResponse) => Buffer.from(VerifyResponse.encode(m).finish()),
      responseDeserialize: (b: Buffer) => VerifyResponse.decode(b),
    },
  };
  server.addService(definition, {
    Verify: (call: grpc.ServerUnaryCall<VerifyRequest, VerifyResponse>, callback: grpc.sendUnaryData<VerifyResponse>) => {
      const results: VerifyResult[] = answer(call.request.items.map((i) => i.claimId)).map((claimId) => ({
        claimId,
        verdict: Verdict.VERDICT_SUPPORTED,
        confidenceBp: 9000,
        modelHash: Buffer.alloc(32, 7),
      }));
      callback(null, { results });
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { address: `127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())) };
}

const items: VerifyItem[] = [1n, 2n, 3n, 4n].map((claimId) => ({ claimId, claim: `claim ${claimId}`, source: "" }));

t.test("results for a subset of the items, in their order, are the verdicts given", async (t) => {
  const cases: [string, (ids: bigint[]) => bigint[], bigint[]][] = [
    ["all", (ids) => ids, [1n, 2n, 3n, 4n]],
    ["some left out", () => [2n, 4n], [2n, 4n]],
    ["none", () => [], []],
  ];
  for (const [what, answer, expected] of cases) {
    const s = await scriptedSidecar(answer);
    const c = new SidecarClient(s.address);
    const res = await c.verify(items, 5_000);
    t.ok(res.ok, `${what}: accepted`);
    if (res.ok)
      t.same(
        res.value.map((r) => r.claimId),
        expected,
        `${what}: the results given`,
      );
    c.close();
    await s.close();
  }
});

t.test("a result that was not asked, out of order or twice fails the whole answer", async (t) => {
  const cases: [string, (ids: bigint[]) => bigint[]][] = [
    ["not asked", () => [1n, 9n]],
    ["out of order", () => [3n, 2n]],
    ["twice", () => [2n, 2n]],
  ];
  for (const [what, answer] of cases) {
    const s = await scriptedSidecar(answer);
    const c = new SidecarClient(s.address);
    const res = await c.verify(items, 5_000);
    t.notOk(res.ok, `${what}: refused`);
    if (!res.ok) t.match(res.message, /not asked, or not in the order asked, or twice/, `${what}: says why`);
    c.close();
    await s.close();
  }
});
