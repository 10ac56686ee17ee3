// The chain's own protobuf messages: proto/**/*.proto and the TypeScript proto/gen.ts generates
// from them (cosmjs-types style). The committed proto/gen is up to date, every message round
// trips through the binary and JSON codecs, the wire bytes match protobuf's encoding and
// cosmjs-types' own messages, and CosmJS signs a MsgSubmitContent through its Registry.
import fs from "node:fs";
import path from "node:path";
import { Secp256k1, Secp256k1Signature, sha256 } from "@cosmjs/crypto";
import { DirectSecp256k1HdWallet, makeSignBytes, makeSignDoc, Registry } from "@cosmjs/proto-signing";
import { defaultRegistryTypes, SigningStargateClient } from "@cosmjs/stargate";
import { BinaryReader, BinaryWriter } from "cosmjs-types/binary";
import { PageRequest, PageResponse } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import { Coin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import { TxBody } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { Duration } from "cosmjs-types/google/protobuf/duration";
import t from "tap";
import { camelCase, generate, generateAll, parseProto, type MessageDef, type ProtoFile } from "../proto/gen";
import * as claimsPb from "../proto/gen/mira/claims/v1/claims";
import * as queryPb from "../proto/gen/mira/claims/v1/query";
import * as txPb from "../proto/gen/mira/claims/v1/tx";
import * as verifierPb from "../proto/gen/mira/verifier/v1/verifier";
import { Rng } from "./helpers/rng";
import { tempDir } from "./helpers/tmp";

const ROOT = path.resolve(__dirname, "..", "..");
import * as sessionsPb from "../proto/gen/mira/sessions/v1/sessions";
import * as sessionsTxPb from "../proto/gen/mira/sessions/v1/tx";
import * as sessionsQueryPb from "../proto/gen/mira/sessions/v1/query";
import * as authTxPb from "../proto/gen/mira/auth/v1/tx";

const PROTO = path.join(ROOT, "proto");
const MNEMONIC = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

/* eslint-disable @typescript-eslint/no-explicit-any -- the shape of the generated codecs, which take and return any */
interface Codec {
  typeUrl: string;
  encode(message: any, writer?: BinaryWriter): BinaryWriter;
  decode(input: BinaryReader | Uint8Array, length?: number): any;
  fromJSON(object: any): any;
  toJSON(message: any): any;
  fromPartial(object: any): any;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

const MODULES: Record<string, Record<string, unknown>> = {
  "mira/auth/v1/tx.proto": authTxPb as unknown as Record<string, unknown>,
  "mira/claims/v1/claims.proto": claimsPb as unknown as Record<string, unknown>,
  "mira/claims/v1/tx.proto": txPb as unknown as Record<string, unknown>,
  "mira/claims/v1/query.proto": queryPb as unknown as Record<string, unknown>,
  "mira/verifier/v1/verifier.proto": verifierPb as unknown as Record<string, unknown>,
  "mira/sessions/v1/sessions.proto": sessionsPb as unknown as Record<string, unknown>,
  "mira/sessions/v1/tx.proto": sessionsTxPb as unknown as Record<string, unknown>,
  "mira/sessions/v1/query.proto": sessionsQueryPb as unknown as Record<string, unknown>,
};

function listFiles(dir: string, rel = ""): string[] {
  const abs = path.join(dir, rel);
  if (!fs.existsSync(abs)) return [];
  return fs
    .readdirSync(abs, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(dir, path.join(rel, e.name)) : [path.join(rel, e.name)]))
    .sort();
}

function parsedProtos(): ProtoFile[] {
  return Object.keys(MODULES).map((rel) => parseProto(fs.readFileSync(path.join(PROTO, rel), "utf8"), rel));
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

// ---------------------------------------------------------------------------------------------
// (a) the committed generated code is what the generator produces

t.test("regenerating gives byte-identical files to the committed proto/gen", async (t) => {
  const out = tempDir(t, "mira-proto-gen-");
  const written = generate(PROTO, out).sort();
  const committed = listFiles(path.join(PROTO, "gen"));
  t.strictSame(written, committed, "same set of files");
  t.strictSame(
    written,
    Object.keys(MODULES)
      .map((p) => p.replace(/\.proto$/, ".ts"))
      .sort(),
  );
  for (const rel of written) {
    const fresh = fs.readFileSync(path.join(out, rel));
    const mine = fs.readFileSync(path.join(PROTO, "gen", rel));
    t.ok(fresh.equals(mine), `${rel} is up to date (run npm run proto:gen)`);
  }
  // Deterministic: a second run gives the same text.
  const again = generateAll(PROTO);
  for (const rel of written) t.equal(again.get(rel), fs.readFileSync(path.join(out, rel), "utf8"), `${rel} deterministic`);
});

t.test("the parser rejects what the generator does not support", async (t) => {
  const head = 'syntax = "proto3"; package a.b;';
  t.throws(() => parseProto('syntax = "proto2"; package a;', "x.proto"), /proto3/);
  t.throws(() => parseProto(`${head} message M { oneof x { string a = 1; } }`, "x.proto"), /oneof/);
  t.throws(() => parseProto(`${head} message M { map<string, string> m = 1; }`, "x.proto"), /map/);
  t.throws(() => parseProto(`${head} message M { message N {} }`, "x.proto"), /message/);
  t.throws(() => parseProto(`${head} message M { optional string a = 1; }`, "x.proto"), /optional/);
  t.throws(() => parseProto(`${head} message M { string a = 1; string b = 1; }`, "x.proto"), /duplicate/);
  t.throws(() => parseProto(`${head} enum E { A = 1; }`, "x.proto"), /first value must be 0/);
  const ok = parseProto(`${head}\n// M doc\nmessage M { repeated uint64 a = 1 [packed = true]; reserved 2, 3; string b = 4; }`, "x.proto");
  t.strictSame(
    ok.messages[0]!.fields.map((f) => [f.name, f.type, f.number, f.repeated]),
    [
      ["a", "uint64", 1, true],
      ["b", "string", 4, false],
    ],
  );
  t.strictSame(ok.messages[0]!.comment, ["M doc"]);
});

// ---------------------------------------------------------------------------------------------
// Random values from the .proto descriptors

const CHARS = ["a", "z", "0", " ", "é", "中", "😀", "\n", '"', "\\"];

function randomString(rng: Rng): string {
  const n = rng.int(4) === 0 ? 0 : rng.int(12);
  let s = "";
  for (let i = 0; i < n; i++) s += rng.pick(CHARS);
  return s;
}
function randomBytes(rng: Rng): Uint8Array {
  return new Uint8Array(rng.bytes(rng.int(4) === 0 ? 0 : rng.int(40)));
}
function randomU64(rng: Rng): bigint {
  switch (rng.int(5)) {
    case 0:
      return 0n;
    case 1:
      return BigInt(rng.int(300));
    case 2:
      return 0xffffffffffffffffn;
    default:
      return (BigInt(rng.int(2 ** 32)) << 32n) | BigInt(rng.int(2 ** 32));
  }
}
function randomU32(rng: Rng): number {
  switch (rng.int(4)) {
    case 0:
      return 0;
    case 1:
      return rng.int(200);
    case 2:
      return 0xffffffff;
    default:
      return rng.int(2 ** 32);
  }
}

/** A field's type with its package: as written when qualified ("mira.claims.v1.Verdict"), else in `pkg`. */
function qualified(type: string, pkg: string): string {
  const t = type.startsWith(".") ? type.slice(1) : type;
  return t.includes(".") ? t : `${pkg}.${t}`;
}

class RandomMessages {
  private readonly messages = new Map<string, MessageDef>();
  private readonly enums = new Map<string, number>(); // name → number of values
  constructor(files: ProtoFile[]) {
    for (const f of files) {
      for (const m of f.messages) this.messages.set(`${f.package}.${m.name}`, m);
      for (const e of f.enums) this.enums.set(`${f.package}.${e.name}`, e.values.length);
    }
  }

  scalar(type: string, rng: Rng): unknown {
    switch (type) {
      case "uint64":
      case "fixed64":
        return randomU64(rng);
      case "int64":
      case "sint64":
      case "sfixed64":
        return BigInt.asIntN(64, randomU64(rng));
      case "uint32":
      case "fixed32":
        return randomU32(rng);
      case "int32":
      case "sint32":
      case "sfixed32":
        return randomU32(rng) | 0;
      case "bool":
        return rng.int(2) === 1;
      case "string":
        return randomString(rng);
      case "bytes":
        return randomBytes(rng);
      default:
        return undefined;
    }
  }

  /** A value for a field's element type. */
  element(type: string, rng: Rng, depth: number, pkg: string): unknown {
    const s = this.scalar(type, rng);
    if (s !== undefined) return s;
    const short = type.slice(type.lastIndexOf(".") + 1);
    switch (short) {
      case "Coin":
        return { denom: randomString(rng), amount: String(randomU64(rng)) };
      case "Duration":
        return { seconds: BigInt.asIntN(64, randomU64(rng)), nanos: randomU32(rng) | 0 };
      case "PageRequest":
        return { key: randomBytes(rng), offset: randomU64(rng), limit: randomU64(rng), countTotal: rng.int(2) === 1, reverse: rng.int(2) === 1 };
      case "PageResponse":
        return { nextKey: randomBytes(rng), total: randomU64(rng) };
      case "Timestamp":
        return { seconds: BigInt.asIntN(64, randomU64(rng)), nanos: rng.int(1_000_000_000) };
      case "Any":
        return { typeUrl: randomString(rng), value: randomBytes(rng) };
    }
    const full = qualified(type, pkg);
    const n = this.enums.get(full);
    if (n !== undefined) return rng.int(n);
    return this.message(short, rng, full.slice(0, full.lastIndexOf(".")), depth + 1);
  }

  message(name: string, rng: Rng, pkg: string, depth = 0): Record<string, unknown> {
    const def = this.messages.get(`${pkg}.${name}`);
    if (!def) throw new Error(`unknown message ${name}`);
    const out: Record<string, unknown> = {};
    for (const f of def.fields) {
      const key = camelCase(f.name);
      const isMessage = this.scalar(f.type, rng) === undefined && !this.enums.has(qualified(f.type, pkg));
      if (f.repeated) {
        const n = depth > 2 ? 0 : rng.int(4);
        out[key] = Array.from({ length: n }, () => this.element(f.type, rng, depth, pkg));
      } else if (isMessage && (depth > 2 || rng.int(5) === 0)) {
        out[key] = undefined;
      } else {
        out[key] = this.element(f.type, rng, depth, pkg);
      }
    }
    return out;
  }
}

function allMessages(): { file: ProtoFile; msg: MessageDef; codec: Codec }[] {
  return parsedProtos().flatMap((file) => file.messages.map((msg) => ({ file, msg, codec: MODULES[file.path]![msg.name] as Codec })));
}

// ---------------------------------------------------------------------------------------------
// (b) binary round trips

t.test("every message is generated with its typeUrl and the codec methods", async (t) => {
  const all = allMessages();
  t.equal(all.length, 2 + 11 + 4 + 14 + 6 + 3 + 8 + 8, "auth 2, claims 11 + 4 + 14, verifier 6, sessions 3 + 8 + 8 messages");
  for (const { file, msg, codec } of all) {
    t.ok(codec, `${msg.name} exported`);
    t.equal(codec.typeUrl, `/${file.package}.${msg.name}`);
    for (const fn of ["encode", "decode", "fromJSON", "toJSON", "fromPartial"] as const) t.type(codec[fn], "function", `${msg.name}.${fn}`);
    // The default message encodes to nothing and decodes back to the default.
    const empty = codec.fromPartial({});
    t.equal(codec.encode(empty).finish().length, 0, `${msg.name} default encodes empty`);
    t.strictSame(codec.decode(new Uint8Array()), empty);
  }
});

t.test("encode/decode round trips of every message with random values", async (t) => {
  const rnd = new RandomMessages(parsedProtos());
  const rng = new Rng(0x5eed);
  let checked = 0;
  for (const { file, msg, codec } of allMessages()) {
    for (let i = 0; i < 60; i++) {
      const value = rnd.message(msg.name, rng, file.package);
      const bytes = codec.encode(value).finish();
      const back = codec.decode(bytes);
      if (!t.strictSame(back, value, `${msg.name} #${i}`)) break;
      t.equal(hex(codec.encode(back).finish()), hex(bytes), `${msg.name} #${i} re-encodes identically`);
      t.strictSame(codec.fromPartial(value), value, `${msg.name} #${i} fromPartial keeps it`);
      // decode(reader, length) reads exactly one length-delimited message out of a larger buffer.
      const framed = new BinaryWriter().uint32(10).bytes(bytes).uint32(16).uint32(7).finish();
      const r = new BinaryReader(framed);
      t.equal(r.uint32(), 10);
      t.strictSame(codec.decode(r, r.uint32()), value);
      t.equal(r.uint32(), 16);
      t.equal(r.uint32(), 7);
      checked++;
    }
  }
  t.equal(checked, 56 * 60);
});

t.test("unknown fields are skipped and packed/unpacked repeated scalars both decode", async (t) => {
  const { MsgSubmitContentResponse } = txPb;
  // content_id 300, claim_ids [1, 300] packed; then an unknown varint field 9 and an unknown bytes field 10.
  const packed = Buffer.from("08ac02120301ac02480a52026869", "hex");
  t.strictSame(MsgSubmitContentResponse.decode(packed), { contentId: 300n, claimIds: [1n, 300n] });
  const unpacked = Buffer.from("08ac02100110ac02", "hex");
  t.strictSame(MsgSubmitContentResponse.decode(unpacked), { contentId: 300n, claimIds: [1n, 300n] });
  t.equal(hex(MsgSubmitContentResponse.encode({ contentId: 300n, claimIds: [1n, 300n] }).finish()), "08ac02120301ac02");
  t.equal(hex(MsgSubmitContentResponse.encode({ contentId: 0n, claimIds: [] }).finish()), "", "empty packed field omitted");
  // Enum values outside the enum decode as their number (proto3 open enums).
  t.equal(claimsPb.ClaimVote.decode(Buffer.from("1009", "hex")).verdict, 9);
});

// ---------------------------------------------------------------------------------------------
// (c) wire compatibility

t.test("wire: MsgSubmitContent matches a hand-computed byte vector", async (t) => {
  const msg = txPb.MsgSubmitContent.fromPartial({
    submitter: "mira1abc",
    content: "hi",
    claims: ["a", "bc"],
    sourceContext: "s",
    thresholdBp: 6667,
    verifiersPerClaim: 3,
  });
  const expected =
    "0a08" +
    Buffer.from("mira1abc").toString("hex") + // 1: submitter
    "1202" +
    "6869" + // 2: content "hi"
    "1a01" +
    "61" + // 3: claims[0] "a"
    "1a02" +
    "6263" + // 3: claims[1] "bc"
    "2201" +
    "73" + // 4: source_context "s"
    "288b34" + // 5: threshold_bp 6667 = 0x1a0b → varint 8b 34
    "3003"; // 6: verifiers_per_claim 3
  t.equal(hex(txPb.MsgSubmitContent.encode(msg).finish()), expected);
  t.strictSame(txPb.MsgSubmitContent.decode(Buffer.from(expected, "hex")), msg);
  // A negative int64 is 10 bytes of two's complement varint; bytes and enums as usual.
  const vote = claimsPb.ClaimVote.fromPartial({
    validator: "v",
    verdict: claimsPb.Verdict.VERDICT_REFUTED,
    confidenceBp: 1,
    modelHash: new Uint8Array([0xab]),
    height: -1n,
  });
  t.equal(hex(claimsPb.ClaimVote.encode(vote).finish()), "0a0176" + "1002" + "1801" + "2201ab" + "28ffffffffffffffffff01");
});

function fields(bytes: Uint8Array): Map<number, { wire: number; value: unknown }[]> {
  const r = new BinaryReader(bytes);
  const out = new Map<number, { wire: number; value: unknown }[]>();
  while (r.pos < r.len) {
    const tag = r.uint32();
    const wire = tag & 7;
    const value = wire === 0 ? r.uint64() : wire === 2 ? new Uint8Array(r.bytes()) : (r.skipType(wire), undefined);
    const list = out.get(tag >>> 3) ?? [];
    list.push({ wire, value });
    out.set(tag >>> 3, list);
  }
  return out;
}

t.test("wire: messages that embed cosmjs-types Coin, Duration, PageRequest/PageResponse", async (t) => {
  const fee = { denom: "umira", amount: "1000" };
  const jail = { seconds: 600n, nanos: 5 };
  const params = claimsPb.Params.fromPartial({
    maxClaims: 16,
    deadlineBlocks: 20n,
    feePerClaim: fee,
    slashFractionVerification: "0.001",
    jailDuration: jail,
    allowedModelHashes: [new Uint8Array([1, 2]), new Uint8Array([3])],
    maxExtensionBytes: 4096,
  });
  const f = fields(claimsPb.Params.encode(params).finish());
  t.strictSame([...f.keys()], [1, 8, 9, 12, 13, 14, 15]);
  t.equal(f.get(1)![0]!.value, 16n);
  t.equal(f.get(8)![0]!.value, 20n);
  const feeBytes = f.get(9)![0]!.value as Uint8Array;
  t.equal(f.get(9)![0]!.wire, 2);
  t.equal(hex(feeBytes), hex(Coin.encode(Coin.fromPartial(fee)).finish()), "fee_per_claim is cosmjs-types' Coin encoding");
  t.strictSame(Coin.decode(feeBytes), fee);
  t.equal(Buffer.from(f.get(12)![0]!.value as Uint8Array).toString(), "0.001");
  const durBytes = f.get(13)![0]!.value as Uint8Array;
  t.equal(hex(durBytes), hex(Duration.encode(Duration.fromPartial(jail)).finish()));
  t.strictSame(Duration.decode(durBytes), jail);
  t.strictSame(
    f.get(14)!.map((x) => hex(x.value as Uint8Array)),
    ["0102", "03"],
  );
  t.equal(f.get(15)![0]!.value, 4096n);

  // The other way round: a message built by hand from cosmjs-types' encoders decodes with ours.
  const page = PageRequest.fromPartial({ key: new Uint8Array([9, 9]), offset: 5n, limit: 100n, countTotal: true, reverse: true });
  const w = new BinaryWriter();
  w.uint32(10).string("mira1xyz");
  PageRequest.encode(page, w.uint32(18).fork()).ldelim();
  const req = queryPb.QueryClaimsBySubmitterRequest.decode(w.finish());
  t.equal(req.submitter, "mira1xyz");
  t.strictSame(req.pagination, page);
  t.equal(hex(queryPb.QueryClaimsBySubmitterRequest.encode(req).finish()), hex(w.finish()));

  const resp = queryPb.QueryPendingClaimsResponse.fromPartial({
    claims: [{ id: 1n, text: "x", status: claimsPb.ClaimStatus.CLAIM_STATUS_PENDING }],
    pagination: { nextKey: new Uint8Array([7]), total: 42n },
  });
  const rf = fields(queryPb.QueryPendingClaimsResponse.encode(resp).finish());
  t.strictSame(PageResponse.decode(rf.get(2)![0]!.value as Uint8Array), { nextKey: new Uint8Array([7]), total: 42n });
  t.strictSame(claimsPb.Claim.decode(rf.get(1)![0]!.value as Uint8Array), resp.claims[0]);

  const content = claimsPb.Content.fromPartial({ id: 3n, fee: { denom: "umira", amount: "5" } });
  const cf = fields(claimsPb.Content.encode(content).finish());
  t.strictSame(Coin.decode(cf.get(7)![0]!.value as Uint8Array), { denom: "umira", amount: "5" });
});

// ---------------------------------------------------------------------------------------------
// (d) CosmJS Registry and signing

t.test("a CosmJS Registry takes MsgSubmitContent and a wallet signs it", async (t) => {
  const { MsgSubmitContent } = txPb;
  const typeUrl = "/mira.claims.v1.MsgSubmitContent";
  const registry = new Registry([...defaultRegistryTypes, [typeUrl, MsgSubmitContent]]);
  t.equal(registry.lookupType(typeUrl), MsgSubmitContent);
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(MNEMONIC, { prefix: "mira" });
  const [account] = await wallet.getAccounts();
  const client = await SigningStargateClient.offline(wallet, { registry });
  const value = {
    submitter: account!.address,
    content: "The Eiffel Tower is in Paris. It was completed in 1889.",
    claims: ["The Eiffel Tower is in Paris.", "The Eiffel Tower was completed in 1889."],
    sourceContext: "wikipedia",
    thresholdBp: 6667,
    verifiersPerClaim: 3,
  };
  const fee = { amount: [{ denom: "umira", amount: "5000" }], gas: "200000" };
  const chainId = "mira-localnet-1";
  const raw = await client.sign(account!.address, [{ typeUrl, value }], fee, "proto-gen", { accountNumber: 7n, sequence: 2, chainId });
  const body = TxBody.decode(raw.bodyBytes);
  t.equal(body.messages.length, 1);
  t.equal(body.messages[0]!.typeUrl, typeUrl);
  t.strictSame(MsgSubmitContent.decode(body.messages[0]!.value), value);
  t.strictSame(registry.decode(body.messages[0]!), value);
  t.equal(hex(body.messages[0]!.value), hex(MsgSubmitContent.encode(MsgSubmitContent.fromPartial(value)).finish()));
  t.equal(body.memo, "proto-gen");
  // The signature is over the direct sign doc of exactly these bytes.
  const signBytes = makeSignBytes(makeSignDoc(raw.bodyBytes, raw.authInfoBytes, chainId, 7n));
  const sig = Secp256k1Signature.fromFixedLength(raw.signatures[0]!);
  t.ok(await Secp256k1.verifySignature(sig, sha256(signBytes), account!.pubkey), "signature verifies");
});

t.test("service path maps and ClientImpl use the full method names", async (t) => {
  t.strictSame(txPb.MsgMethods, { SubmitContent: "/mira.claims.v1.Msg/SubmitContent", UpdateParams: "/mira.claims.v1.Msg/UpdateParams" });
  t.strictSame(verifierPb.VerifierMethods, { Verify: "/mira.verifier.v1.Verifier/Verify", Info: "/mira.verifier.v1.Verifier/Info" });
  t.strictSame(Object.keys(queryPb.QueryMethods), ["Content", "Claim", "Certificate", "ClaimsBySubmitter", "PendingClaims", "VerifierStats", "Params"]);
  t.equal(queryPb.QueryMethods.PendingClaims, "/mira.claims.v1.Query/PendingClaims");
  t.equal(queryPb.QueryMethodTypes.PendingClaims.request, queryPb.QueryPendingClaimsRequest);
  t.equal(queryPb.QueryMethodTypes.PendingClaims.response, queryPb.QueryPendingClaimsResponse);
  t.equal(verifierPb.VerifierMethodTypes.Info.response, verifierPb.InfoResponse);
  const calls: string[] = [];
  const client = new verifierPb.VerifierClientImpl({
    async request(service: string, method: string, data: Uint8Array): Promise<Uint8Array> {
      calls.push(`/${service}/${method}`);
      const req = verifierPb.VerifyRequest.decode(data);
      return verifierPb.VerifyResponse.encode({
        results: req.items.map((it) => ({
          claimId: it.claimId,
          verdict: claimsPb.Verdict.VERDICT_SUPPORTED,
          confidenceBp: 9000,
          modelHash: new Uint8Array([1]),
        })),
      }).finish();
    },
  });
  const res = await client.verify({ items: [{ claimId: 5n, claim: "c", source: "s" }] });
  t.strictSame(calls, [verifierPb.VerifierMethods.Verify]);
  t.strictSame(res.results, [{ claimId: 5n, verdict: claimsPb.Verdict.VERDICT_SUPPORTED, confidenceBp: 9000, modelHash: new Uint8Array([1]) }]);
});

// ---------------------------------------------------------------------------------------------
// (e) JSON

t.test("JSON: uint64 as strings, bytes as base64, enums by name", async (t) => {
  const claim = claimsPb.Claim.fromPartial({
    id: 18446744073709551615n,
    contentId: 7n,
    index: 2,
    text: "Paris is in France.",
    hash: new Uint8Array([0xde, 0xad, 0xbe, 0xef]),
    assigned: ["miravaloper1a", "miravaloper1b"],
    status: claimsPb.ClaimStatus.CLAIM_STATUS_CERTIFIED,
    verdict: claimsPb.Verdict.VERDICT_SUPPORTED,
    deadlineHeight: -5n,
    votes: [{ validator: "miravaloper1a", verdict: claimsPb.Verdict.VERDICT_REFUTED, confidenceBp: 8000, modelHash: new Uint8Array([1, 2, 3]), height: 10n }],
  });
  const json = claimsPb.Claim.toJSON(claim);
  t.strictSame(JSON.parse(JSON.stringify(json)), {
    id: "18446744073709551615",
    contentId: "7",
    index: 2,
    text: "Paris is in France.",
    hash: "3q2+7w==",
    assigned: ["miravaloper1a", "miravaloper1b"],
    status: "CLAIM_STATUS_CERTIFIED",
    verdict: "VERDICT_SUPPORTED",
    deadlineHeight: "-5",
    votes: [{ validator: "miravaloper1a", verdict: "VERDICT_REFUTED", confidenceBp: 8000, modelHash: "AQID", height: "10" }],
  });
  t.strictSame(claimsPb.Claim.fromJSON(JSON.parse(JSON.stringify(json))), claim);
  // Enums also parse from numbers; unknown names become UNRECOGNIZED.
  t.equal(claimsPb.verdictFromJSON(2), claimsPb.Verdict.VERDICT_REFUTED);
  t.equal(claimsPb.verdictFromJSON("nope"), claimsPb.Verdict.UNRECOGNIZED);
  t.equal(claimsPb.claimStatusToJSON(claimsPb.ClaimStatus.CLAIM_STATUS_PENDING), "CLAIM_STATUS_PENDING");
  // Message-typed fields from cosmjs-types use their JSON.
  const p = claimsPb.Params.toJSON(claimsPb.Params.fromPartial({ feePerClaim: { denom: "umira", amount: "9" }, jailDuration: { seconds: 60n, nanos: 0 } }));
  t.strictSame(JSON.parse(JSON.stringify(p)).feePerClaim, { denom: "umira", amount: "9" });
  t.strictSame(JSON.parse(JSON.stringify(p)).jailDuration, { seconds: "60", nanos: 0 });
  t.strictSame(txPb.MsgSubmitContent.fromJSON({}), txPb.MsgSubmitContent.fromPartial({}), "missing fields default");
});

t.test("JSON round trips of every message with random values", async (t) => {
  const rnd = new RandomMessages(parsedProtos());
  const rng = new Rng(0x1503);
  for (const { file, msg, codec } of allMessages()) {
    let ok = true;
    for (let i = 0; i < 40 && ok; i++) {
      const value = rnd.message(msg.name, rng, file.package);
      const text = JSON.stringify(codec.toJSON(value));
      ok = t.strictSame(codec.fromJSON(JSON.parse(text)), value, `${msg.name} #${i}`);
      if (!ok) t.comment(text);
    }
  }
});
