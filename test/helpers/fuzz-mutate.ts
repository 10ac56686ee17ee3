// Mutations of signed txs for the fuzz test: raw bytes, the TxRaw framing, signatures, and decoded
// fields re-encoded WITHOUT re-signing. Every mutation is drawn from a seeded Rng, so a run replays
// exactly from its seed; each mutant carries the names of the mutations that made it.
import { toBech32 } from "@cosmjs/encoding";
import { MsgMultiSend, MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import type { Coin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { AuthInfo, ModeInfo, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { Any } from "cosmjs-types/google/protobuf/any";
import type { Rng } from "./rng";

/** secp256k1 group order. */
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const U64_MAX = 2n ** 64n - 1n;
const I64_MAX = 2n ** 63n - 1n;

export interface MutationContext {
  rng: Rng;
  /** Bytes of every pool tx (for splices and borrowed signatures). */
  pool: readonly Uint8Array[];
  /** Valid addresses (signers and recipients) and compressed keys of the fuzz accounts. */
  addresses: readonly string[];
  pubkeys: readonly Uint8Array[];
  /** Roughly the height the mutant will be delivered at (for timeout heights around it). */
  height: bigint;
}

export interface Mutant {
  bytes: Uint8Array;
  /** The mutations applied, in order ("raw.sig-high-s", "body.memo", ...). */
  kinds: string[];
}

// ---------------------------------------------------------------------------------------------
// Byte-level mutations

function flipBits(rng: Rng, b: Uint8Array): Buffer {
  const out = Buffer.from(b);
  if (out.length === 0) return Buffer.of(rng.int(256));
  const k = 1 + rng.int(3);
  for (let i = 0; i < k; i++) out[rng.int(out.length)]! ^= 1 << rng.int(8);
  return out;
}

function insertBytes(rng: Rng, b: Uint8Array): Buffer {
  const at = rng.int(b.length + 1);
  return Buffer.concat([b.subarray(0, at), rng.bytes(1 + rng.int(8)), b.subarray(at)]);
}

function deleteBytes(rng: Rng, b: Uint8Array): Buffer {
  if (b.length === 0) return Buffer.alloc(0);
  const at = rng.int(b.length);
  const n = 1 + rng.int(Math.min(8, b.length - at));
  return Buffer.concat([b.subarray(0, at), b.subarray(at + n)]);
}

function overwriteBytes(rng: Rng, b: Uint8Array): Buffer {
  const out = Buffer.from(b);
  if (out.length === 0) return rng.bytes(1 + rng.int(4));
  const at = rng.int(out.length);
  const fill = rng.int(4) === 0 ? Buffer.alloc(8, rng.pick([0x00, 0xff, 0x80, 0x7f])) : rng.bytes(8);
  const n = 1 + rng.int(Math.min(8, out.length - at));
  fill.copy(out, at, 0, n);
  return out;
}

function truncateBytes(rng: Rng, b: Uint8Array): Buffer {
  return Buffer.from(b.subarray(0, b.length === 0 ? 0 : rng.int(b.length)));
}

/** One random byte-level edit of `b`, with its name. */
export function mutateBytes(rng: Rng, b: Uint8Array): [Buffer, string] {
  switch (rng.int(5)) {
    case 0:
      return [flipBits(rng, b), "flip"];
    case 1:
      return [insertBytes(rng, b), "insert"];
    case 2:
      return [deleteBytes(rng, b), "delete"];
    case 3:
      return [overwriteBytes(rng, b), "overwrite"];
    default:
      return [truncateBytes(rng, b), "truncate"];
  }
}

// ---------------------------------------------------------------------------------------------
// Hand-made protobuf framing (for non-canonical TxRaw encodings)

function varint(n: bigint, pad = 0): Buffer {
  const out: number[] = [];
  let v = n;
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n || pad > 0) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  // Non-minimal: continuation bytes of zeros, ended by a 0x00.
  for (let i = 0; i < pad; i++) out.push(i === pad - 1 ? 0x00 : 0x80);
  return Buffer.from(out);
}

function tag(field: number, wireType: number): Buffer {
  return varint((BigInt(field) << 3n) | BigInt(wireType));
}

function lenField(field: number, bytes: Uint8Array, pad = 0): Buffer {
  return Buffer.concat([tag(field, 2), varint(BigInt(bytes.length), pad), bytes]);
}

/** A random unknown field (every wire type protobufjs can skip, groups included). */
function unknownField(rng: Rng, minField: number): Buffer {
  const field = rng.pick([minField, minField + 1, 15, 16, 1000, 2047, 2048, 536_870_911].filter((f) => f >= minField));
  switch (rng.int(5)) {
    case 0:
      return Buffer.concat([tag(field, 0), varint(BigInt(rng.int(1 << 30)))]);
    case 1:
      return Buffer.concat([tag(field, 1), rng.bytes(8)]);
    case 2:
      return lenField(field, rng.bytes(rng.int(20)));
    case 3:
      return Buffer.concat([tag(field, 5), rng.bytes(4)]);
    default:
      return Buffer.concat([tag(field, 3), tag(field + 1 > 536_870_911 ? 1 : field + 1, 0), varint(7n), tag(field, 4)]);
  }
}

// ---------------------------------------------------------------------------------------------
// Decoded-field helpers

function decodeRaw(bytes: Uint8Array): TxRaw | undefined {
  try {
    return TxRaw.decode(bytes);
  } catch {
    return undefined;
  }
}

function encodeRaw(raw: TxRaw): Uint8Array {
  return TxRaw.encode(raw).finish();
}

function withBody(bytes: Uint8Array, f: (body: TxBody) => void): Uint8Array | undefined {
  const raw = decodeRaw(bytes);
  if (raw === undefined) return undefined;
  let body: TxBody;
  try {
    body = TxBody.decode(raw.bodyBytes);
  } catch {
    return undefined;
  }
  f(body);
  return encodeRaw({ ...raw, bodyBytes: TxBody.encode(body).finish() });
}

function withAuthInfo(bytes: Uint8Array, f: (authInfo: AuthInfo) => void): Uint8Array | undefined {
  const raw = decodeRaw(bytes);
  if (raw === undefined) return undefined;
  let authInfo: AuthInfo;
  try {
    authInfo = AuthInfo.decode(raw.authInfoBytes);
  } catch {
    return undefined;
  }
  f(authInfo);
  return encodeRaw({ ...raw, authInfoBytes: AuthInfo.encode(authInfo).finish() });
}

/** Applies `f` to the coins/addresses of one decoded bank message of the body. */
function withBankMsg(bytes: Uint8Array, rng: Rng, f: (m: { send?: MsgSend; multi?: MsgMultiSend }) => void): Uint8Array | undefined {
  let ok = false;
  const out = withBody(bytes, (body) => {
    if (body.messages.length === 0) return;
    const i = rng.int(body.messages.length);
    const any = body.messages[i]!;
    try {
      if (any.typeUrl === "/cosmos.bank.v1beta1.MsgSend") {
        const send = MsgSend.decode(any.value);
        f({ send });
        body.messages[i] = { typeUrl: any.typeUrl, value: MsgSend.encode(send).finish() };
        ok = true;
      } else if (any.typeUrl === "/cosmos.bank.v1beta1.MsgMultiSend") {
        const multi = MsgMultiSend.decode(any.value);
        f({ multi });
        body.messages[i] = { typeUrl: any.typeUrl, value: MsgMultiSend.encode(multi).finish() };
        ok = true;
      }
    } catch {
      ok = false;
    }
  });
  return ok ? out : undefined;
}

const WEIRD_AMOUNTS = [
  "0",
  "00",
  "-1",
  "-5000",
  "",
  " 1",
  "1 ",
  "01",
  "1.5",
  "1e3",
  "0x10",
  "+1",
  "NaN",
  "Infinity",
  "１",
  "१",
  "9".repeat(77),
  "9".repeat(78),
  "1" + "0".repeat(76),
  "18446744073709551616",
  "115792089237316195423570985008687907853269984665640564039457584007913129639936",
  "1000000000000000000000",
  "999999999999",
];

const WEIRD_DENOMS = [
  "",
  "u",
  "um",
  "umi",
  "UMIRA",
  "umira ",
  " umira",
  "umira\u0000",
  "ümira",
  "1umira",
  "u mira",
  "umira\n",
  "a".repeat(128),
  "a".repeat(129),
  "ibc/" + "AB".repeat(32),
  "uatom",
  "ustake",
  "unothing",
  "umira/../x",
  "u-m.i:r_a",
];

function weirdCoins(rng: Rng): Coin[] {
  switch (rng.int(7)) {
    case 0:
      return [];
    case 1:
      return [{ denom: "umira", amount: rng.pick(WEIRD_AMOUNTS) }];
    case 2:
      return [{ denom: rng.pick(WEIRD_DENOMS), amount: "1" }];
    case 3:
      return [
        { denom: "umira", amount: "1" },
        { denom: "umira", amount: "1" },
      ];
    case 4:
      return [
        { denom: "ustake", amount: "1" },
        { denom: "umira", amount: "1" },
      ];
    case 5:
      return Array.from({ length: 1 + rng.int(40) }, (_, i) => ({ denom: "d" + String(i).padStart(4, "0"), amount: String(1 + rng.int(9)) }));
    default:
      return [{ denom: rng.pick(WEIRD_DENOMS), amount: rng.pick(WEIRD_AMOUNTS) }];
  }
}

function weirdAddress(ctx: MutationContext): string {
  const { rng } = ctx;
  const valid = rng.pick(ctx.addresses);
  switch (rng.int(12)) {
    case 0:
      return "";
    case 1:
      return valid; // a different but valid address
    case 2:
      return toBech32("cosmos", rng.bytes(20));
    case 3: {
      const last = valid[valid.length - 1] === "q" ? "p" : "q";
      return valid.slice(0, -1) + last; // bad checksum
    }
    case 4:
      return valid.toUpperCase(); // valid bech32, same bytes
    case 5:
      return valid.slice(0, 6) + valid.slice(6, 12).toUpperCase() + valid.slice(12); // mixed case: invalid
    case 6:
      return toBech32("mira", rng.bytes(rng.pick([0, 1, 19, 21, 31, 33, 64])), 200);
    case 7:
      return toBech32("mira", rng.bytes(32));
    case 8:
      return "mira1" + "q".repeat(rng.int(120));
    case 9:
      return valid + valid;
    case 10:
      return Buffer.from(rng.bytes(1 + rng.int(40))).toString("latin1");
    default:
      return " " + valid;
  }
}

const WEIRD_MEMOS = (): string[] => [
  "",
  "m".repeat(255),
  "m".repeat(256),
  "m".repeat(257),
  "é".repeat(128),
  "é".repeat(200),
  "😀".repeat(128),
  "😀".repeat(129),
  "\u0000".repeat(10),
  "\ud800",
  "x".repeat(10_000),
];

const GAS_LIMITS = [0n, 1n, 999n, 10_000n, 50_000n, 199_999n, 200_001n, 2n ** 32n, 2n ** 53n + 1n, I64_MAX, I64_MAX + 1n, U64_MAX];

const SIGN_MODES: SignMode[] = [
  SignMode.SIGN_MODE_UNSPECIFIED,
  SignMode.SIGN_MODE_TEXTUAL,
  SignMode.SIGN_MODE_DIRECT_AUX,
  SignMode.SIGN_MODE_LEGACY_AMINO_JSON,
  SignMode.SIGN_MODE_EIP_191,
  9999 as SignMode,
];

function weirdPubKey(ctx: MutationContext): Any | undefined {
  const { rng } = ctx;
  const key = (k: Uint8Array): Any => Any.fromPartial({ typeUrl: "/cosmos.crypto.secp256k1.PubKey", value: PubKey.encode({ key: k }).finish() });
  switch (rng.int(10)) {
    case 0:
      return undefined;
    case 1:
      return Any.fromPartial({ typeUrl: "/cosmos.crypto.ed25519.PubKey", value: PubKey.encode({ key: rng.bytes(32) }).finish() });
    case 2:
      return Any.fromPartial({ typeUrl: "/cosmos.crypto.multisig.LegacyAminoPubKey", value: rng.bytes(40) });
    case 3:
      return key(rng.bytes(rng.pick([0, 32, 64, 65])));
    case 4:
      return key(Buffer.concat([Buffer.of(rng.pick([2, 3])), rng.bytes(32)])); // 33 bytes, most not on the curve
    case 5:
      return key(rng.pick(ctx.pubkeys)); // another account's key
    case 6:
      return Any.fromPartial({ typeUrl: "/cosmos.crypto.secp256k1.PubKey", value: rng.bytes(1 + rng.int(40)) }); // not a PubKey message
    case 7:
      return Any.fromPartial({ typeUrl: "", value: new Uint8Array() });
    case 8: {
      const k = Buffer.from(rng.pick(ctx.pubkeys));
      k[0] = k[0] === 2 ? 3 : 2; // the other point with the same x
      return key(k);
    }
    default:
      return Any.fromPartial({
        typeUrl: "/cosmos.crypto.secp256k1.PubKey",
        value: Buffer.concat([PubKey.encode({ key: rng.pick(ctx.pubkeys) }).finish(), unknownField(rng, 2)]),
      });
  }
}

function bankMsgFrom(from: string, to: string): Any {
  return Any.fromPartial({
    typeUrl: "/cosmos.bank.v1beta1.MsgSend",
    value: MsgSend.encode({ fromAddress: from, toAddress: to, amount: [{ denom: "umira", amount: "1" }] }).finish(),
  });
}

function sigHighS(sig: Uint8Array): Uint8Array {
  if (sig.length !== 64) return sig;
  const s = BigInt("0x" + Buffer.from(sig.subarray(32)).toString("hex"));
  return Buffer.concat([Buffer.from(sig.subarray(0, 32)), Buffer.from((N - s).toString(16).padStart(64, "0"), "hex")]);
}

// ---------------------------------------------------------------------------------------------
// The mutations

type Mutation = (ctx: MutationContext, bytes: Uint8Array) => Uint8Array | undefined;

const RAW_MUTATIONS: [string, Mutation][] = [
  // Whole-tx bytes.
  ["bytes.flip", (c, b) => flipBits(c.rng, b)],
  ["bytes.insert", (c, b) => insertBytes(c.rng, b)],
  ["bytes.delete", (c, b) => deleteBytes(c.rng, b)],
  ["bytes.overwrite", (c, b) => overwriteBytes(c.rng, b)],
  ["bytes.truncate", (c, b) => truncateBytes(c.rng, b)],
  ["bytes.concat-self", (_c, b) => Buffer.concat([b, b])],
  [
    "bytes.splice",
    (c, b) => {
      const other = c.rng.pick(c.pool);
      return Buffer.concat([b.subarray(0, c.rng.int(b.length + 1)), other.subarray(c.rng.int(other.length + 1))]);
    },
  ],
  ["bytes.random", (c) => c.rng.bytes(c.rng.int(400))],
  ["bytes.empty", () => new Uint8Array()],
  ["bytes.huge", (c, b) => (c.rng.int(20) === 0 ? Buffer.concat([b, lenField(9, Buffer.alloc(1024 * 1024))]) : undefined)],
  // TxRaw framing: same signed content, different bytes (should be refused, see ADR-027).
  ["raw.unknown-field", (c, b) => Buffer.concat([b, unknownField(c.rng, 4)])],
  [
    "raw.field-order",
    (_c, b) => {
      const raw = decodeRaw(b);
      if (raw === undefined) return undefined;
      return Buffer.concat([...raw.signatures.map((s) => lenField(3, s)), lenField(2, raw.authInfoBytes), lenField(1, raw.bodyBytes)]);
    },
  ],
  [
    "raw.duplicate-field",
    (c, b) => {
      const raw = decodeRaw(b);
      if (raw === undefined) return undefined;
      // A decoy body first: protobuf keeps the last occurrence of a bytes field.
      return Buffer.concat([lenField(1, c.rng.bytes(c.rng.int(30))), b]);
    },
  ],
  [
    "raw.non-minimal-varint",
    (c, b) => {
      const raw = decodeRaw(b);
      if (raw === undefined) return undefined;
      const pad = 1 + c.rng.int(3);
      return Buffer.concat([lenField(1, raw.bodyBytes, pad), lenField(2, raw.authInfoBytes), ...raw.signatures.map((s) => lenField(3, s))]);
    },
  ],
  // Inner bytes.
  [
    "raw.body-bytes",
    (c, b) => {
      const raw = decodeRaw(b);
      return raw && encodeRaw({ ...raw, bodyBytes: mutateBytes(c.rng, raw.bodyBytes)[0] });
    },
  ],
  [
    "raw.auth-info-bytes",
    (c, b) => {
      const raw = decodeRaw(b);
      return raw && encodeRaw({ ...raw, authInfoBytes: mutateBytes(c.rng, raw.authInfoBytes)[0] });
    },
  ],
  [
    "raw.body-unknown-field",
    (c, b) => {
      const raw = decodeRaw(b);
      return raw && encodeRaw({ ...raw, bodyBytes: Buffer.concat([raw.bodyBytes, unknownField(c.rng, 1024)]) });
    },
  ],
  [
    "raw.auth-info-unknown-field",
    (c, b) => {
      const raw = decodeRaw(b);
      return raw && encodeRaw({ ...raw, authInfoBytes: Buffer.concat([raw.authInfoBytes, unknownField(c.rng, 4)]) });
    },
  ],
  [
    "raw.empty-body",
    (_c, b) => {
      const raw = decodeRaw(b);
      return raw && encodeRaw({ ...raw, bodyBytes: new Uint8Array() });
    },
  ],
  [
    "raw.empty-auth-info",
    (_c, b) => {
      const raw = decodeRaw(b);
      return raw && encodeRaw({ ...raw, authInfoBytes: new Uint8Array() });
    },
  ],
  // Signatures.
  [
    "sig.drop-all",
    (_c, b) => {
      const raw = decodeRaw(b);
      return raw && encodeRaw({ ...raw, signatures: [] });
    },
  ],
  [
    "sig.drop-one",
    (c, b) => {
      const raw = decodeRaw(b);
      if (raw === undefined || raw.signatures.length === 0) return undefined;
      const sigs = [...raw.signatures];
      sigs.splice(c.rng.int(sigs.length), 1);
      return encodeRaw({ ...raw, signatures: sigs });
    },
  ],
  [
    "sig.extra",
    (c, b) => {
      const raw = decodeRaw(b);
      if (raw === undefined) return undefined;
      const extra = c.rng.int(2) === 0 ? c.rng.bytes(64) : (raw.signatures[0] ?? c.rng.bytes(64));
      return encodeRaw({ ...raw, signatures: [...raw.signatures, extra] });
    },
  ],
  [
    "sig.wrong-length",
    (c, b) => {
      const raw = decodeRaw(b);
      if (raw === undefined || raw.signatures.length === 0) return undefined;
      const i = c.rng.int(raw.signatures.length);
      const len = c.rng.pick([0, 1, 32, 63, 65, 70, 128]);
      const sig = Buffer.alloc(len);
      Buffer.from(raw.signatures[i]!).copy(sig);
      const sigs = [...raw.signatures];
      sigs[i] = sig;
      return encodeRaw({ ...raw, signatures: sigs });
    },
  ],
  [
    "sig.high-s",
    (c, b) => {
      const raw = decodeRaw(b);
      if (raw === undefined || raw.signatures.length === 0) return undefined;
      const i = c.rng.int(raw.signatures.length);
      const sigs = [...raw.signatures];
      sigs[i] = sigHighS(sigs[i]!);
      return encodeRaw({ ...raw, signatures: sigs });
    },
  ],
  [
    "sig.bytes",
    (c, b) => {
      const raw = decodeRaw(b);
      if (raw === undefined || raw.signatures.length === 0) return undefined;
      const i = c.rng.int(raw.signatures.length);
      const sigs = [...raw.signatures];
      sigs[i] = c.rng.int(2) === 0 ? flipBits(c.rng, sigs[i]!) : overwriteBytes(c.rng, sigs[i]!);
      return encodeRaw({ ...raw, signatures: sigs });
    },
  ],
  [
    "sig.special",
    (c, b) => {
      const raw = decodeRaw(b);
      if (raw === undefined || raw.signatures.length === 0) return undefined;
      const i = c.rng.int(raw.signatures.length);
      const sig = Buffer.from(raw.signatures[i]!);
      const nBytes = Buffer.from(N.toString(16), "hex");
      switch (c.rng.int(5)) {
        case 0:
          sig.fill(0, 0, 32); // r = 0
          break;
        case 1:
          sig.fill(0, 32); // s = 0
          break;
        case 2:
          nBytes.copy(sig, 0); // r = n
          break;
        case 3:
          sig.fill(0xff, 0, 32); // r > n
          break;
        default:
          sig.fill(0);
      }
      const sigs = [...raw.signatures];
      sigs[i] = sig;
      return encodeRaw({ ...raw, signatures: sigs });
    },
  ],
  [
    "sig.swap",
    (c, b) => {
      const raw = decodeRaw(b);
      const other = decodeRaw(c.rng.pick(c.pool));
      if (raw === undefined || other === undefined) return undefined;
      return encodeRaw({ ...raw, signatures: other.signatures });
    },
  ],
  [
    "sig.reverse",
    (_c, b) => {
      const raw = decodeRaw(b);
      if (raw === undefined || raw.signatures.length < 2) return undefined;
      return encodeRaw({ ...raw, signatures: [...raw.signatures].reverse() });
    },
  ],
  // Body fields, re-encoded without re-signing.
  [
    "body.msg-amount",
    (c, b) =>
      withBankMsg(b, c.rng, ({ send, multi }) => {
        if (send) send.amount = [{ denom: "umira", amount: c.rng.pick(WEIRD_AMOUNTS) }];
        if (multi) (c.rng.int(2) === 0 ? multi.inputs : multi.outputs).forEach((io) => (io.coins = [{ denom: "umira", amount: c.rng.pick(WEIRD_AMOUNTS) }]));
      }),
  ],
  [
    "body.msg-coins",
    (c, b) =>
      withBankMsg(b, c.rng, ({ send, multi }) => {
        if (send) send.amount = weirdCoins(c.rng);
        if (multi) {
          const io = c.rng.pick([...multi.inputs, ...multi.outputs]);
          if (io) io.coins = weirdCoins(c.rng);
        }
      }),
  ],
  [
    "body.msg-address",
    (c, b) =>
      withBankMsg(b, c.rng, ({ send, multi }) => {
        if (send) {
          if (c.rng.int(2) === 0) send.fromAddress = weirdAddress(c);
          else send.toAddress = weirdAddress(c);
        }
        if (multi) {
          const io = c.rng.pick([...multi.inputs, ...multi.outputs]);
          if (io) io.address = weirdAddress(c);
        }
      }),
  ],
  [
    "body.multi-send-shape",
    (c, b) =>
      withBankMsg(b, c.rng, ({ send, multi }) => {
        if (send) send.amount = [];
        if (multi) {
          switch (c.rng.int(4)) {
            case 0:
              multi.inputs = [];
              break;
            case 1:
              multi.outputs = [];
              break;
            case 2:
              multi.inputs = [...multi.inputs, ...multi.inputs];
              break;
            default:
              multi.outputs = [...multi.outputs, ...multi.outputs];
          }
        }
      }),
  ],
  [
    "body.msg-type-url",
    (c, b) =>
      withBody(b, (body) => {
        const m = body.messages[c.rng.int(body.messages.length)];
        if (m)
          m.typeUrl = c.rng.pick([
            "",
            "/",
            "/cosmos.bank.v1beta1.MsgBurn",
            "/cosmos.bank.v1beta1.MsgSend ",
            "cosmos.bank.v1beta1.MsgSend",
            "/cosmos.bank.v1beta1.MsgMultiSend",
            "/cosmos.bank.v1beta1.MsgSend",
            "/cosmos.staking.v1beta1.MsgDelegate",
            "/COSMOS.BANK.V1BETA1.MSGSEND",
            // Governance-only messages (#15): whatever decodes names an ordinary authority and is refused.
            "/cosmos.bank.v1beta1.MsgUpdateParams",
            "/cosmos.auth.v1beta1.MsgUpdateParams",
            "/cosmos.distribution.v1beta1.MsgCommunityPoolSpend",
            "/cosmos.consensus.v1.MsgUpdateParams",
            "/mira.claims.v1.MsgUpdateParams",
          ]);
      }),
  ],
  [
    "body.msg-value",
    (c, b) =>
      withBody(b, (body) => {
        const m = body.messages[c.rng.int(body.messages.length)];
        if (m) m.value = c.rng.int(2) === 0 ? c.rng.bytes(c.rng.int(80)) : mutateBytes(c.rng, m.value)[0];
      }),
  ],
  [
    "body.no-messages",
    (_c, b) =>
      withBody(b, (body) => {
        body.messages = [];
      }),
  ],
  [
    "body.duplicate-message",
    (c, b) =>
      withBody(b, (body) => {
        const m = body.messages[c.rng.int(body.messages.length)];
        if (m) body.messages.push(m);
      }),
  ],
  [
    "body.other-signer",
    (c, b) =>
      withBody(b, (body) => {
        body.messages.push(bankMsgFrom(c.rng.pick(c.addresses), c.rng.pick(c.addresses)));
      }),
  ],
  [
    "body.too-many-signers",
    (c, b) =>
      withBody(b, (body) => {
        for (let i = 0; i < 8; i++) body.messages.push(bankMsgFrom(toBech32("mira", c.rng.bytes(20)), c.rng.pick(c.addresses)));
      }),
  ],
  [
    "body.many-messages",
    (c, b) =>
      withBody(b, (body) => {
        const m = body.messages[0];
        if (m) for (let i = 0; i < 200 + c.rng.int(800); i++) body.messages.push(m);
      }),
  ],
  [
    "body.memo",
    (c, b) =>
      withBody(b, (body) => {
        body.memo = c.rng.pick(WEIRD_MEMOS());
      }),
  ],
  [
    "body.timeout-height",
    (c, b) =>
      withBody(b, (body) => {
        body.timeoutHeight = c.rng.pick([1n, 2n, c.height - 1n, c.height, c.height + 1n, I64_MAX, U64_MAX]);
      }),
  ],
  [
    "body.extension-options",
    (c, b) =>
      withBody(b, (body) => {
        const opt = Any.fromPartial({
          typeUrl: c.rng.pick(["/foo.Bar", "", "/ethermint.evm.v1.ExtensionOptionsEthereumTx"]),
          value: c.rng.bytes(c.rng.int(10)),
        });
        if (c.rng.int(2) === 0) body.extensionOptions.push(opt);
        else body.nonCriticalExtensionOptions.push(opt);
      }),
  ],
  // AuthInfo fields, re-encoded without re-signing.
  [
    "auth.gas-limit",
    (c, b) =>
      withAuthInfo(b, (ai) => {
        if (ai.fee) ai.fee.gasLimit = c.rng.pick(GAS_LIMITS);
      }),
  ],
  [
    "auth.fee-amount",
    (c, b) =>
      withAuthInfo(b, (ai) => {
        if (!ai.fee) return;
        ai.fee.amount =
          c.rng.int(3) === 0
            ? weirdCoins(c.rng)
            : [{ denom: "umira", amount: c.rng.pick(["4999", "5001", "0", "-5000", "5000.0", "10000000000000000", "9".repeat(77), "1"]) }];
      }),
  ],
  [
    "auth.no-fee",
    (_c, b) =>
      withAuthInfo(b, (ai) => {
        ai.fee = undefined;
      }),
  ],
  [
    "auth.fee-payer-granter",
    (c, b) =>
      withAuthInfo(b, (ai) => {
        if (!ai.fee) return;
        if (c.rng.int(2) === 0) ai.fee.payer = weirdAddress(c);
        else ai.fee.granter = weirdAddress(c);
      }),
  ],
  [
    "auth.tip",
    (c, b) =>
      withAuthInfo(b, (ai) => {
        ai.tip = { amount: weirdCoins(c.rng), tipper: weirdAddress(c) };
      }),
  ],
  [
    "auth.sequence",
    (c, b) =>
      withAuthInfo(b, (ai) => {
        const si = ai.signerInfos[c.rng.int(ai.signerInfos.length)];
        if (si) si.sequence = c.rng.pick([si.sequence + 1n, si.sequence > 0n ? si.sequence - 1n : 1n, 0n, I64_MAX, U64_MAX, BigInt(c.rng.int(1000))]);
      }),
  ],
  [
    "auth.sign-mode",
    (c, b) =>
      withAuthInfo(b, (ai) => {
        const si = ai.signerInfos[c.rng.int(ai.signerInfos.length)];
        if (!si) return;
        switch (c.rng.int(3)) {
          case 0:
            si.modeInfo = undefined;
            break;
          case 1:
            si.modeInfo = ModeInfo.fromPartial({
              multi: { bitarray: { extraBitsStored: 2, elems: Buffer.of(0xc0) }, modeInfos: [{ single: { mode: SignMode.SIGN_MODE_DIRECT } }] },
            });
            break;
          default:
            si.modeInfo = { single: { mode: c.rng.pick(SIGN_MODES) } };
        }
      }),
  ],
  [
    "auth.pubkey",
    (c, b) =>
      withAuthInfo(b, (ai) => {
        const si = ai.signerInfos[c.rng.int(ai.signerInfos.length)];
        if (si) si.publicKey = weirdPubKey(c);
      }),
  ],
  [
    "auth.signer-infos",
    (c, b) =>
      withAuthInfo(b, (ai) => {
        switch (c.rng.int(4)) {
          case 0:
            ai.signerInfos = [];
            break;
          case 1:
            ai.signerInfos = [...ai.signerInfos, ...ai.signerInfos];
            break;
          case 2:
            ai.signerInfos = [...ai.signerInfos].reverse();
            break;
          default:
            ai.signerInfos = ai.signerInfos.slice(1);
        }
      }),
  ],
  [
    "auth.signer-infos+sigs",
    (c, b) => {
      // Keep the counts of signer infos and signatures equal so that the ante handler sees the mismatch with the messages.
      const raw = decodeRaw(b);
      if (raw === undefined) return undefined;
      let ai: AuthInfo;
      try {
        ai = AuthInfo.decode(raw.authInfoBytes);
      } catch {
        return undefined;
      }
      const extra = c.rng.int(2) === 0;
      ai.signerInfos = extra ? [...ai.signerInfos, ...ai.signerInfos] : ai.signerInfos.slice(1);
      const signatures = extra ? [...raw.signatures, ...raw.signatures] : raw.signatures.slice(1);
      return encodeRaw({ bodyBytes: raw.bodyBytes, authInfoBytes: AuthInfo.encode(ai).finish(), signatures });
    },
  ],
];

/** The mutation names, for reports. */
export const MUTATION_NAMES: readonly string[] = RAW_MUTATIONS.map(([name]) => name);

/**
 * One mutant of `source`: one mutation, sometimes two or three stacked. A mutation that does not
 * apply (nothing to decode, no signature to drop...) falls back to a byte-level one.
 */
export function mutate(ctx: MutationContext, source: Uint8Array): Mutant {
  const { rng } = ctx;
  const depth = rng.int(10) < 8 ? 1 : 2 + rng.int(2);
  let bytes: Uint8Array = source;
  const kinds: string[] = [];
  for (let i = 0; i < depth; i++) {
    const [name, m] = rng.pick(RAW_MUTATIONS);
    const out = m(ctx, bytes);
    if (out === undefined) {
      const [b, how] = mutateBytes(rng, bytes);
      bytes = b;
      kinds.push(`bytes.${how}(fallback)`);
    } else {
      bytes = out;
      kinds.push(name);
    }
  }
  return { bytes, kinds };
}
