// Fuzz: 10,000 randomly mutated copies of valid, CosmJS-signed txs go through CheckTx and
// FinalizeBlock of MiraApp (driven directly), interleaved with the valid originals. Nothing may
// throw (an exception stops CometBFT), every result must carry an SDK code, and the state after
// every block must equal that of a fresh app that was given only the txs that had the right to
// change it. Replays from its seed: FUZZ_SEED, FUZZ_MUTANTS, FUZZ_POOL, FUZZ_BLOCKS.
import { QueryAccountRequest, QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { ResponseCheckTx, ResponseFinalizeBlock } from "cosmjs-types/tendermint/abci/types";
import type { Event, ExecTxResult } from "cosmjs-types/tendermint/abci/types";
import type { DeepPartial } from "cosmjs-types/helpers";
import t from "tap";
import type { MiraApp } from "../app/chain/app";
import { GOV_CODESPACE, GOV_INVALID_SIGNER_CODE } from "../app/core/authority";
import { SDK_CODESPACE, SdkCode } from "../app/core/errors";
import { finalizeRequest, startApp } from "./helpers/app-driver";
import { mutate, MutationContext } from "./helpers/fuzz-mutate";
import { buildPool, fuzzAccounts, fuzzGenesis, fuzzRecipients, PoolTx } from "./helpers/fuzz-pool";
import { Rng } from "./helpers/rng";

const SEED = Number(process.env.FUZZ_SEED ?? 0x6d697261);
const MUTANTS = Number(process.env.FUZZ_MUTANTS ?? 10_000);
const POOL = Number(process.env.FUZZ_POOL ?? 300);
const BLOCKS = Number(process.env.FUZZ_BLOCKS ?? 100);
const I64_MAX = 2n ** 63n - 1n;
const SDK_CODES = new Set<number>(Object.values(SdkCode));
/** Violations printed one by one; the rest are only counted. */
const MAX_REPORTED = 25;

interface Entry {
  bytes: Uint8Array;
  /** The pool tx it is, or was mutated from. */
  source: PoolTx;
  mutant: boolean;
  kinds: string[];
}

interface Outcome {
  code: number;
  passedAnte: boolean;
}

type TxResult = DeepPartial<ExecTxResult>;

/** Identity of a tx's signed content as the app decodes it: body, auth info and signatures. */
function contentKey(bytes: Uint8Array): string | undefined {
  try {
    const raw = TxRaw.decode(bytes);
    const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
    return `${hex(raw.bodyBytes)}|${hex(raw.authInfoBytes)}|${raw.signatures.map(hex).join(",")}`;
  } catch {
    return undefined;
  }
}

/**
 * The `acc_seq` values ("address/sequence") of a result's ante events. The ante handler emits one
 * per signer once the signatures, sequences and fee deduction all passed, and runTx returns those
 * events with a message failure (as the SDK does) but none with an ante failure.
 */
function accSeqs(events: readonly DeepPartial<Event>[] | undefined): string[] {
  const out: string[] = [];
  for (const e of events ?? []) {
    if (e.type !== "tx") continue;
    for (const a of e.attributes ?? []) if (a.key === "acc_seq" && a.value !== undefined) out.push(a.value);
  }
  return out;
}

/** Why a result is not an acceptable ABCI answer, or undefined. */
function badResult(res: { code?: number; codespace?: string }): string | undefined {
  if (typeof res.code !== "number" || !Number.isInteger(res.code) || res.code < 0) return `code is not a number: ${String(res.code)}`;
  if (res.code === 0) return undefined;
  // A governance-only message with an ordinary authority: gov's InvalidSigner, the one code outside "sdk".
  if (res.codespace === GOV_CODESPACE && res.code === GOV_INVALID_SIGNER_CODE) return undefined;
  if (!SDK_CODES.has(res.code)) return `code ${res.code} is not an SDK code of app/core/errors.ts`;
  if (res.codespace !== SDK_CODESPACE) return `code ${res.code} has codespace "${res.codespace}", not "${SDK_CODESPACE}"`;
  return undefined;
}

async function sequenceOf(app: MiraApp, address: string): Promise<bigint | undefined> {
  const res = await app.query({ path: "/cosmos.auth.v1beta1.Query/Account", data: QueryAccountRequest.encode({ address }).finish(), height: 0n, prove: false });
  if (res.code !== 0) return undefined;
  return BaseAccount.decode(QueryAccountResponse.decode(res.value as Uint8Array).account!.value).sequence;
}

function histogram(codes: Iterable<number>): string {
  const h = new Map<number, number>();
  for (const c of codes) h.set(c, (h.get(c) ?? 0) + 1);
  const name = new Map<number, string>(Object.entries(SdkCode).map(([k, v]) => [v, k]));
  return [...h]
    .sort(([a], [b]) => a - b)
    .map(([c, n]) => `${c}${c === 0 ? "(ok)" : `(${name.get(c) ?? "?"})`}=${n}`)
    .join(" ");
}

function countBy(items: Iterable<string>): string {
  const m = new Map<string, number>();
  for (const i of items) m.set(i, (m.get(i) ?? 0) + 1);
  return (
    [...m]
      .sort(([, a], [, b]) => b - a)
      .map(([k, n]) => `${k}=${n}`)
      .join(" ") || "none"
  );
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString("hex");
}

t.test(`fuzz: ${MUTANTS} mutated txs through CheckTx and FinalizeBlock (seed ${SEED})`, async (t) => {
  const started = Date.now();
  const rng = new Rng(SEED);
  const accounts = await fuzzAccounts();
  const recipients = fuzzRecipients(rng, accounts);
  // Pool tx i goes in block floor(i / perBlock); startApp commits height 1, so block 0 is height 2.
  const perBlock = Math.ceil(POOL / BLOCKS);
  const pool = await buildPool(rng, accounts, recipients, POOL, (id) => 2n + BigInt(Math.floor(id / perBlock)));
  const signedMs = Date.now() - started;
  const poolByContent = new Map<string, PoolTx>();
  for (const p of pool) poolByContent.set(contentKey(p.bytes)!, p);
  t.equal(poolByContent.size, pool.length, "pool txs are distinct");

  const genesis = fuzzGenesis(accounts);
  const run = await startApp(t, genesis); // gets everything
  const ref = await startApp(t, genesis); // gets only the txs that passed the ante handler in `run`
  t.same(run.ms.appHash, ref.ms.appHash, "same genesis, same hash");
  t.equal(run.height(), 1n, "the fuzz's block 0 is height 2");

  const ctx: MutationContext = {
    rng,
    pool: pool.map((p) => p.bytes),
    addresses: [...accounts.map((a) => a.address), ...recipients],
    pubkeys: accounts.map((a) => a.pubkey),
    height: 0n,
  };

  const violations: string[] = [];
  const violation = (what: string): void => {
    if (violations.length < MAX_REPORTED) t.fail(what);
    violations.push(what);
  };
  const describe = (e: Entry): string =>
    `${e.mutant ? `mutant [${e.kinds.join(" + ")}] of` : "original"} pool tx ${e.source.id} (${e.source.label}), tx ${hex(e.bytes)}`;

  const checkCodes: number[] = [];
  const deliverCodes: number[] = [];
  const originalCodes: number[] = [];
  const acceptedMutants: string[] = []; // code 0, bytes differ from every pool tx
  const anteMutants: string[] = []; // passed the ante handler, bytes differ from every pool tx
  const replayedMutants: string[] = []; // a mutation that gave back the exact bytes of a pool tx
  const checkAcceptedMutants: string[] = [];
  const checkDeliverDiff: string[] = [];
  /** FinalizeBlock codes of mutants by the family of their first mutation (bytes, raw, sig, body, auth). */
  const byFamily = new Map<string, number[]>();
  let negativeGasWanted = 0;
  let exceptions = 0;
  let txCount = 0;
  let refTxs = 0;
  let blocksCompared = 0;
  /** Per signer address: the sequence the ante events say it had, i.e. the number of ante passes. */
  const model = new Map<string, bigint>();
  /** Per pool tx: the ante passes of its signed content, and the first one's code. */
  const antePasses = new Map<number, { count: number; firstCode: number }>();
  const poolBytes = new Set(pool.map((p) => hex(p.bytes)));

  for (let b = 0; b < BLOCKS; b++) {
    // The block: its originals in order, mutants inserted anywhere. Most mutants come from this
    // block's originals so that they find the right sequence and reach the deeper checks.
    const originals = pool.slice(b * perBlock, (b + 1) * perBlock);
    const entries: Entry[] = originals.map((p) => ({ bytes: p.bytes, source: p, mutant: false, kinds: [] }));
    const nMutants = Math.floor((MUTANTS * (b + 1)) / BLOCKS) - Math.floor((MUTANTS * b) / BLOCKS);
    ctx.height = BigInt(run.app.store.version + 1);
    for (let i = 0; i < nMutants; i++) {
      const r = rng.int(100);
      const past = pool.slice(0, b * perBlock);
      const future = pool.slice((b + 1) * perBlock);
      const source =
        r < 65 && originals.length > 0
          ? rng.pick(originals)
          : r < 75 && past.length > 0
            ? rng.pick(past)
            : r < 85 && future.length > 0
              ? rng.pick(future)
              : rng.pick(pool);
      const m = rng.int(50) === 0 ? { bytes: source.bytes, kinds: ["replay"] } : mutate(ctx, source.bytes);
      entries.splice(rng.int(entries.length + 1), 0, { bytes: m.bytes, source, mutant: true, kinds: m.kinds });
    }
    txCount += entries.length;

    // CheckTx, in block order, on the check state of the last commit.
    const checkOut: (number | undefined)[] = [];
    for (const e of entries) {
      try {
        const res = await run.app.checkTx({ tx: e.bytes, type: 0 });
        const bad = badResult(res);
        if (bad !== undefined) violation(`CheckTx: ${bad}: ${describe(e)}`);
        ResponseCheckTx.encode(ResponseCheckTx.fromPartial(res)).finish();
        const code = res.code ?? -1;
        checkOut.push(code);
        if (e.mutant) checkCodes.push(code);
        if (code === 0 && !poolByContent.has(contentKey(e.bytes) ?? "")) violation(`CheckTx accepted content that nobody signed: ${describe(e)}`);
        if (code === 0 && e.mutant && !poolBytes.has(hex(e.bytes))) checkAcceptedMutants.push(e.kinds.join("+"));
      } catch (err) {
        exceptions++;
        checkOut.push(undefined);
        violation(`CheckTx threw ${(err as Error).stack ?? String(err)}: ${describe(e)}`);
      }
    }

    // FinalizeBlock with every tx, as a byzantine proposer could send them.
    const txs = entries.map((e) => e.bytes);
    let results: TxResult[];
    let appHash: Uint8Array;
    try {
      const res = await run.app.finalizeBlock(finalizeRequest(run.app, txs));
      ResponseFinalizeBlock.encode(ResponseFinalizeBlock.fromPartial(res)).finish();
      results = res.txResults;
      appHash = res.appHash;
      await run.app.commit();
    } catch (err) {
      exceptions++;
      // Find the culprit on the reference app, which holds the same state: one tx per block.
      let culprit = "not found";
      for (const e of entries) {
        try {
          await ref.app.finalizeBlock(finalizeRequest(ref.app, [e.bytes]));
          await ref.app.commit();
        } catch {
          culprit = describe(e);
          break;
        }
      }
      violation(`FinalizeBlock of block ${b} threw ${(err as Error).stack ?? String(err)}; culprit: ${culprit}`);
      break;
    }
    if (results.length !== entries.length) violation(`block ${b}: ${results.length} results for ${entries.length} txs`);

    const outcomes: Outcome[] = [];
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      const res = results[i] ?? {};
      const bad = badResult(res);
      if (bad !== undefined) violation(`FinalizeBlock: ${bad}: ${describe(e)}`);
      const code = res.code ?? -1;
      if (typeof res.gasWanted === "bigint" && res.gasWanted > I64_MAX) negativeGasWanted++;
      const seqs = accSeqs(res.events);
      const passedAnte = seqs.length > 0;
      outcomes.push({ code, passedAnte });
      (e.mutant ? deliverCodes : originalCodes).push(code);
      if (e.mutant) {
        const family = e.kinds[0]!.split(".")[0]!.replace(/\(.*$/, "");
        byFamily.set(family, [...(byFamily.get(family) ?? []), code]);
      }
      if (code === 0 && !passedAnte) violation(`code 0 without ante events: ${describe(e)}`);

      // CheckTx runs the same ante handler on the check state, which lacks only the message
      // effects of the block so far; the pool's signers never depend on those (huge balances, the
      // poor account and the ghost receive nothing). So the codes agree, except that CheckTx says 0
      // where a message then fails, and gas (balances read with one digit more or less) may put
      // a tx on the other side of its limit.
      const checkCode = checkOut[i];
      if (checkCode !== undefined && checkCode !== code && !(checkCode === 0 && passedAnte)) {
        checkDeliverDiff.push(`${checkCode}->${code}`);
        if (checkCode !== SdkCode.OutOfGas && code !== SdkCode.OutOfGas) violation(`CheckTx gave ${checkCode}, FinalizeBlock ${code}: ${describe(e)}`);
      }

      if (!passedAnte) continue;
      // Only signed content can pass the ante handler: the mutants that do are byte-level
      // variants of a pool tx (framing), never a changed body, auth info or signature.
      const p = poolByContent.get(contentKey(e.bytes) ?? "");
      if (p === undefined) {
        violation(`ante passed for content that nobody signed (code ${code}): ${describe(e)}`);
        continue;
      }
      const prev = antePasses.get(p.id);
      antePasses.set(p.id, { count: (prev?.count ?? 0) + 1, firstCode: prev?.firstCode ?? code });
      if (e.mutant) {
        if (poolBytes.has(hex(e.bytes))) replayedMutants.push(e.kinds.join("+"));
        else (code === 0 ? acceptedMutants : anteMutants).push(e.kinds.join("+"));
      }
      for (const s of seqs) {
        const [address, seq] = s.split("/");
        const expected = model.get(address!) ?? 0n;
        if (BigInt(seq!) !== expected) violation(`acc_seq ${s} but ${expected} ante passes so far: ${describe(e)}`);
        model.set(address!, expected + 1n);
      }
    }

    // The reference: a fresh app given exactly the txs that passed the ante handler, in the same
    // order and the same blocks: code 0, and message failures, which keep their fee and sequence
    // as in the SDK. A tx refused by the ante handler must leave nothing, so the app hashes must
    // agree after every block. Which txs passed the ante handler is read from their own result
    // (the acc_seq ante events, see accSeqs), not guessed from a sequence that moved: a block
    // holds several txs of one sender, and a sequence read after the block cannot say which of
    // them moved it. That reading is then checked three ways: every acc_seq must be the next
    // sequence of its signer (so none was missed or invented, and the sequences queried at the
    // end must match), only content that a wallet signed may pass (the pool), and the hashes,
    // which differ as soon as a tx that changed state is left out of the reference.
    const kept = entries.map((e, i) => ({ e, o: outcomes[i]! })).filter(({ o }) => o.passedAnte);
    refTxs += kept.length;
    try {
      const res = await ref.app.finalizeBlock(
        finalizeRequest(
          ref.app,
          kept.map(({ e }) => e.bytes),
        ),
      );
      await ref.app.commit();
      res.txResults.forEach((r, i) => {
        const { e, o } = kept[i]!;
        if (r.code !== o.code || accSeqs(r.events).length === 0) violation(`reference run: code ${String(r.code)} (was ${o.code}): ${describe(e)}`);
      });
      if (hex(res.appHash) !== hex(appHash)) violation(`block ${b}: app hash differs from the reference (${hex(appHash)} vs ${hex(res.appHash)})`);
      else blocksCompared++;
    } catch (err) {
      violation(`reference FinalizeBlock of block ${b} threw ${(err as Error).stack ?? String(err)}`);
      break;
    }
  }

  // Every pool tx's content passed the ante handler exactly once, with its designed code (or
  // never, for those meant to fail there); sequences on chain match the ante passes seen.
  for (const p of pool) {
    const a = antePasses.get(p.id);
    if (p.expect === "ante-fail") {
      if (a !== undefined) violation(`pool tx ${p.id} (${p.label}) should fail in the ante handler but passed ${a.count} time(s)`);
    } else if (a?.count !== 1) violation(`pool tx ${p.id} (${p.label}) passed the ante handler ${a?.count ?? 0} times, not once`);
    else if (a.firstCode !== p.expectCode) violation(`pool tx ${p.id} (${p.label}) got code ${a.firstCode}, expected ${p.expectCode}`);
  }
  for (const acc of accounts) {
    const seq = await sequenceOf(run.app, acc.address);
    const expected = model.get(acc.address) ?? 0n;
    if ((seq ?? 0n) !== expected) violation(`account ${acc.index} (${acc.role}) has sequence ${String(seq)} on chain, ${expected} ante passes seen`);
  }
  t.same(run.ms.appHash, ref.ms.appHash, "final app hash equals the reference run's");

  const elapsed = Date.now() - started;
  t.comment(
    `fuzz seed=${SEED} pool=${pool.length} (signed in ${signedMs} ms) mutants=${MUTANTS} txs=${txCount} blocks=${BLOCKS} reference txs=${refTxs} elapsed=${elapsed} ms`,
  );
  t.comment(`FinalizeBlock codes of mutants: ${histogram(deliverCodes)}`);
  t.comment(`CheckTx codes of mutants: ${histogram(checkCodes)}`);
  t.comment(`FinalizeBlock codes of originals: ${histogram(originalCodes)}`);
  for (const [family, codes] of [...byFamily].sort(([a], [b]) => (a < b ? -1 : 1))) t.comment(`  mutants "${family}.*" (${codes.length}): ${histogram(codes)}`);
  t.comment(`mutants accepted (code 0, bytes unlike any signed tx): ${acceptedMutants.length} [${countBy(acceptedMutants)}]`);
  t.comment(`mutants past the ante handler with a message failure: ${anteMutants.length} [${countBy(anteMutants)}]`);
  t.comment(`mutants accepted by CheckTx: ${checkAcceptedMutants.length} [${countBy(checkAcceptedMutants)}]`);
  t.comment(`mutations that gave back a signed tx's exact bytes (replays): ${replayedMutants.length}`);
  t.comment(`CheckTx/FinalizeBlock code differences (check->deliver, beyond message failures): ${checkDeliverDiff.length} [${countBy(checkDeliverDiff)}]`);
  t.comment(`results with gas_wanted above int64 (negative on the wire): ${negativeGasWanted}`);

  t.equal(exceptions, 0, "no exception out of CheckTx or FinalizeBlock");
  t.equal(blocksCompared, BLOCKS, "the app hash equals the reference after every block");
  t.equal(violations.length, 0, `no violation (${violations.length}${violations.length > MAX_REPORTED ? `, first ${MAX_REPORTED} shown` : ""})`);
  t.equal(acceptedMutants.length + anteMutants.length, 0, "no mutant with different bytes is accepted (no tx hash malleability)");
  t.equal(negativeGasWanted, 0, "no gas_wanted above int64");
  t.ok(elapsed < 120_000, `runtime ${elapsed} ms`);
});
