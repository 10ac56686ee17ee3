// The certificate page that mirad serves at / on its REST port: search a content by id or submitter,
// see each claim, its verdict, the stake behind it and the voters' models, follow a content live over
// CometBFT's websocket while it is verified, and check its certificate in the browser (verify.ts):
// the Merkle proof against header H+1 and that header's commit signatures. Also the validators, with
// their verification record over time, and the certified-claims rate of the last blocks.
import { checkCertificate, certificateKey, type CheckStep } from "./verify";

type Json = Record<string, unknown>;

const main = document.getElementById("main")!;
const chainLabel = document.getElementById("chain")!;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function api(path: string, height?: bigint | number): Promise<Json> {
  const res = await fetch(path, { headers: height === undefined ? {} : { "x-cosmos-block-height": String(height) } });
  const body = (await res.json().catch(() => ({}))) as Json;
  if (!res.ok) throw new HttpError(res.status, String(body.message ?? res.statusText));
  return body;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}

const hexOf = (b64: unknown): string =>
  typeof b64 === "string"
    ? Array.from(atob(b64), (c) => c.charCodeAt(0).toString(16).padStart(2, "0"))
        .join("")
        .toUpperCase()
    : "";
const short = (s: string, n = 12): string => (s.length > n + 4 ? `${s.slice(0, n)}…` : s);
const words = (enumName: unknown): string =>
  String(enumName)
    .replace(/^(CLAIM_STATUS|VERDICT|BOND_STATUS)_/, "")
    .toLowerCase()
    .replace(/_/g, " ");

// ---- Chain facts shared by the views --------------------------------------------------------------

interface Chain {
  chainId: string;
  rpcHttp: string;
  rpcWs: string;
}

let chainPromise: Promise<Chain> | undefined;

function chain(): Promise<Chain> {
  chainPromise ??= api("/cosmos/base/tendermint/v1beta1/node_info").then((info) => {
    const node = info.default_node_info as Json;
    const other = (node.other ?? {}) as Json;
    // CometBFT reports its RPC listen address (tcp://127.0.0.1:26657); reach it on the host this page came from.
    const port = /:(\d+)$/.exec(String(other.rpc_address ?? ""))?.[1] ?? "26657";
    const host = location.hostname;
    const c = { chainId: String(node.network), rpcHttp: `${location.protocol}//${host}:${port}`, rpcWs: `ws://${host}:${port}/websocket` };
    chainLabel.textContent = c.chainId;
    return c;
  });
  return chainPromise;
}

async function latestHeight(): Promise<bigint> {
  const latest = await api("/cosmos/base/tendermint/v1beta1/blocks/latest");
  return BigInt(String(((latest.block as Json).header as Json).height));
}

// ---- Live blocks over CometBFT's websocket ---------------------------------------------------------

type BlockListener = (height: bigint, certifiedClaims: number) => void;
const blockListeners = new Set<BlockListener>();
let socket: WebSocket | undefined;
let pollTimer: number | undefined;

/** Calls `listener` on each new block (websocket; polling if the socket cannot connect) until the view changes. */
async function onBlocks(listener: BlockListener): Promise<void> {
  blockListeners.add(listener);
  if (socket || pollTimer !== undefined) return;
  const { rpcWs } = await chain();
  const startPolling = () => {
    if (pollTimer !== undefined) return;
    let last = 0n;
    pollTimer = window.setInterval(() => {
      void latestHeight().then((h) => {
        if (h > last) {
          last = h;
          for (const l of blockListeners) l(h, 0);
        }
      });
    }, 2000);
  };
  try {
    socket = new WebSocket(rpcWs);
  } catch {
    startPolling();
    return;
  }
  socket.onopen = () => socket!.send(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "subscribe", params: { query: "tm.event='NewBlock'" } }));
  socket.onerror = () => startPolling();
  socket.onclose = () => {
    socket = undefined;
    startPolling();
  };
  socket.onmessage = (msg) => {
    const data = ((JSON.parse(String(msg.data)) as Json).result as Json | undefined)?.data as Json | undefined;
    const value = data?.value as Json | undefined;
    const block = value?.block as Json | undefined;
    if (!block) return;
    const height = BigInt(String((block.header as Json).height));
    const events = ((value?.result_finalize_block as Json | undefined)?.events ?? []) as Json[];
    const certified = events.filter(
      (e) => e.type === "claim_certified" && (e.attributes as Json[]).some((a) => a.key === "status" && a.value === "CLAIM_STATUS_CERTIFIED"),
    ).length;
    for (const l of blockListeners) l(height, certified);
  };
}

// ---- Views ---------------------------------------------------------------------------------------

function searchForm(): HTMLElement {
  const input = el("input", { id: "search", placeholder: "content id, or a submitter's mira1… address", size: "52" });
  const form = el("form", { id: "search-form" }, input, el("button", { type: "submit" }, "Find"));
  form.onsubmit = (ev) => {
    ev.preventDefault();
    const q = input.value.trim();
    location.hash = /^\d+$/.test(q) ? `#/content/${q}` : `#/submitter/${q}`;
  };
  return form;
}

async function homeView(): Promise<void> {
  main.replaceChildren(
    el("h2", {}, "Check a certificate"),
    el(
      "p",
      {},
      "Every AI answer certified on Mira has a content id. Paste it (or the submitter's address) to see each claim, the verdict, the stake behind it, and a proof checked here in your browser.",
    ),
    searchForm(),
    el("h2", {}, "Certified claims per block"),
    el("div", { id: "rate-chart" }, "loading…"),
  );
  await rateChart(document.getElementById("rate-chart")!);
}

/** The certified-claims rate of the last blocks (CometBFT's block_results), then live. */
async function rateChart(box: HTMLElement): Promise<void> {
  const { rpcHttp } = await chain();
  const top = await latestHeight();
  const counts: [bigint, number][] = [];
  const from = top > 30n ? top - 29n : 1n;
  for (let h = from; h <= top; h++) {
    try {
      const res = (await (await fetch(`${rpcHttp}/block_results?height=${h}`)).json()) as Json;
      const events = (((res.result as Json | undefined)?.finalize_block_events ?? []) as Json[]).filter(
        (e) => e.type === "claim_certified" && (e.attributes as Json[]).some((a) => a.key === "status" && a.value === "CLAIM_STATUS_CERTIFIED"),
      );
      counts.push([h, events.length]);
    } catch {
      counts.push([h, 0]);
    }
  }
  const draw = () => {
    const max = Math.max(1, ...counts.map(([, n]) => n));
    const w = 600;
    const bar = w / counts.length;
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", `0 0 ${w} 110`);
    svg.setAttribute("class", "chart");
    counts.forEach(([h, n], i) => {
      const r = document.createElementNS(svg.namespaceURI, "rect");
      const height = (n / max) * 90;
      r.setAttribute("x", String(i * bar + 1));
      r.setAttribute("y", String(95 - height));
      r.setAttribute("width", String(Math.max(1, bar - 2)));
      r.setAttribute("height", String(height));
      r.setAttribute("class", "bar");
      const title = document.createElementNS(svg.namespaceURI, "title");
      title.textContent = `block ${h}: ${n} certified`;
      r.append(title);
      svg.append(r);
    });
    const total = counts.reduce((s, [, n]) => s + n, 0);
    box.replaceChildren(svg, el("p", { class: "muted" }, `${total} claims certified in blocks ${counts[0]?.[0] ?? "?"}–${counts.at(-1)?.[0] ?? "?"} (live)`));
  };
  draw();
  await onBlocks((h, n) => {
    if (counts.length > 0 && h <= counts.at(-1)![0]) return;
    counts.push([h, n]);
    if (counts.length > 30) counts.shift();
    draw();
  });
}

async function submitterView(address: string): Promise<void> {
  main.replaceChildren(el("h2", {}, `Contents submitted by ${address}`), searchForm(), el("p", {}, "loading…"));
  try {
    const res = await api(`/mira/claims/v1/submitters/${encodeURIComponent(address)}/contents?pagination.limit=100&pagination.reverse=true`);
    const list = el("ul", { id: "contents" });
    for (const c of (res.contents ?? []) as Json[]) {
      list.append(
        el(
          "li",
          {},
          el("a", { href: `#/content/${String(c.id)}` }, `content ${String(c.id)}`),
          ` — ${String((c.claim_ids as unknown[]).length)} claims, height ${String(c.height)}`,
        ),
      );
    }
    main.replaceChildren(el("h2", {}, `Contents submitted by ${address}`), searchForm(), list.childElementCount > 0 ? list : el("p", {}, "none"));
  } catch (err) {
    main.replaceChildren(el("h2", {}, `Contents submitted by ${address}`), searchForm(), el("p", { class: "error" }, (err as Error).message));
  }
}

let viewToken = 0;

async function contentView(id: string): Promise<void> {
  const token = viewToken;
  main.replaceChildren(el("h2", {}, `Content ${id}`), el("p", {}, "loading…"));
  let content: Json;
  try {
    content = (await api(`/mira/claims/v1/contents/${id}`)).content as Json;
  } catch (err) {
    if (!(err instanceof HttpError && err.status === 404)) {
      main.replaceChildren(el("h2", {}, `Content ${id}`), searchForm(), el("p", { class: "error", id: "status" }, (err as Error).message));
      return;
    }
    // A link shown right after the content was broadcast: wait for the block that includes it.
    main.replaceChildren(
      el("h2", {}, `Content ${id}`),
      searchForm(),
      el("p", { class: "muted", id: "status", "data-state": "waiting" }, `Content ${id} is not on this chain (yet): watching new blocks for it…`),
    );
    let found = false;
    await onBlocks(() => {
      if (token !== viewToken || found) return;
      void api(`/mira/claims/v1/contents/${id}`).then(
        () => {
          if (token !== viewToken || found) return;
          found = true;
          blockListeners.clear();
          void contentView(id);
        },
        () => undefined,
      );
    });
    return;
  }
  const permalink = `${location.origin}${location.pathname}#/content/${id}`;
  const status = el("p", { id: "status" });
  const claimsBox = el("div", { id: "claims" });
  const proofBox = el("div", { id: "proof" });
  const live = el("span", { id: "live", class: "muted" });
  main.replaceChildren(
    el("h2", {}, `Content ${id}`),
    el(
      "dl",
      {},
      el("dt", {}, "submitter"),
      el("dd", {}, el("a", { href: `#/submitter/${String(content.submitter)}` }, String(content.submitter))),
      el("dt", {}, "context"),
      el("dd", { id: "context" }, String(content.source_context || "—")),
      el("dt", {}, "content hash"),
      el("dd", { class: "mono" }, hexOf(content.content_hash)),
      el("dt", {}, "submitted at height"),
      el("dd", {}, String(content.height)),
      el("dt", {}, "threshold"),
      el("dd", {}, `${Number(content.threshold_bp) / 100}% of the assigned stake`),
      el("dt", {}, "permalink"),
      el("dd", {}, el("a", { href: permalink, id: "permalink" }, permalink)),
    ),
    status,
    live,
    claimsBox,
    el("h3", {}, "Proof, checked in this browser"),
    proofBox,
  );
  let certified = false;
  const refresh = async (): Promise<void> => {
    if (token !== viewToken || certified) return;
    const claimIds = (content.claim_ids ?? []) as string[];
    const claims = await Promise.all(claimIds.map(async (cid) => (await api(`/mira/claims/v1/claims/${cid}`)).claim as Json));
    let certificate: Json | undefined;
    try {
      certificate = (await api(`/mira/claims/v1/certificates/${id}`)).certificate as Json;
    } catch (err) {
      if (!(err instanceof HttpError && err.status === 404)) throw err;
    }
    if (token !== viewToken) return;
    const settled = claims.filter((c) => c.status !== "CLAIM_STATUS_PENDING").length;
    if (certificate) {
      certified = true;
      status.textContent = `Certificate written at height ${String(certificate.height)}: ${(certificate.claims as Json[]).filter((c) => c.status === "CLAIM_STATUS_CERTIFIED").length} of ${claims.length} claims certified.`;
      status.dataset.state = "certified";
    } else {
      status.textContent = `Being verified: ${settled} of ${claims.length} claims settled.`;
      status.dataset.state = "pending";
    }
    claimsBox.replaceChildren(claimsTable(claims, certificate));
    if (certificate) await runProof(BigInt(id), certificate, proofBox);
    else proofBox.replaceChildren(el("p", { class: "muted" }, "The proof is checked once the certificate is written."));
  };
  await refresh();
  if (!certified) {
    await onBlocks((h) => {
      if (token !== viewToken) return;
      live.textContent = `live: block ${h}`;
      void refresh().catch((err: unknown) => (status.textContent = (err as Error).message));
    });
  }
}

function claimsTable(claims: Json[], certificate: Json | undefined): HTMLElement {
  const certified = new Map(((certificate?.claims ?? []) as Json[]).map((c) => [String(c.claim_id), c]));
  const table = el(
    "table",
    { class: "claims" },
    el("tr", {}, ...["#", "claim", "status", "verdict", "stake for / against / assigned", "voters (validator, verdict, model)"].map((h) => el("th", {}, h))),
  );
  for (const claim of claims) {
    const cert = certified.get(String(claim.id));
    const stakeFor = BigInt(String(cert?.stake_for ?? "0") || "0");
    const stakeAgainst = BigInt(String(cert?.stake_against ?? "0") || "0");
    const assigned = BigInt(String(cert?.stake_assigned ?? "0") || "0");
    const pct = (n: bigint) => (assigned > 0n ? Number((n * 1000n) / assigned) / 10 : 0);
    const bar = el(
      "div",
      { class: "stake" },
      el("span", { class: "for", style: `width:${pct(stakeFor)}%` }),
      el("span", { class: "against", style: `width:${pct(stakeAgainst)}%` }),
    );
    const voters = cert
      ? ((cert.voters ?? []) as Json[]).map((v) =>
          el(
            "li",
            {},
            `${short(String(v.validator), 18)} ${words(v.verdict)} `,
            el("span", { class: "mono", title: hexOf(v.model_hash) }, short(hexOf(v.model_hash), 10)),
          ),
        )
      : ((claim.votes ?? []) as Json[]).map((v) => el("li", {}, `${short(String(v.validator), 18)} ${words(v.verdict)}`));
    const state = String(cert?.status ?? claim.status);
    table.append(
      el(
        "tr",
        { class: `claim ${words(state).replace(/ /g, "-")}`, "data-status": state },
        el("td", {}, String(Number(claim.index) + 1)),
        el("td", { class: "text" }, String(claim.text)),
        el("td", {}, words(state)),
        el("td", {}, words(cert?.verdict ?? claim.verdict)),
        el("td", {}, cert ? `${stakeFor} / ${stakeAgainst} / ${assigned}` : `${(claim.assigned as unknown[]).length} validators assigned`, cert ? bar : ""),
        el("td", {}, el("ul", { class: "voters" }, ...voters)),
      ),
    );
  }
  return table;
}

async function runProof(contentId: bigint, served: Json, box: HTMLElement): Promise<void> {
  box.replaceChildren(el("p", { class: "muted" }, "checking…"));
  const { chainId } = await chain();
  // H: a committed height at or after the certificate's, with blocks H+1 (its app hash) and H+2 (H+1's commit) out.
  const written = BigInt(String(served.height ?? "0"));
  let top = await latestHeight();
  while (top < written + 2n) {
    box.replaceChildren(el("p", { class: "muted" }, `waiting for block ${written + 2n}, which carries the signatures over the state with the certificate…`));
    await new Promise((r) => setTimeout(r, 500));
    top = await latestHeight();
  }
  const h = top - 2n;
  const key = certificateKey(contentId);
  const data = encodeURIComponent(btoa(String.fromCharCode(...key)));
  const [query, block, next, validators] = await Promise.all([
    api(`/cosmos/base/tendermint/v1beta1/abci_query?path=${encodeURIComponent("store/claims/key")}&data=${data}&height=${h}&prove=true`),
    api(`/cosmos/base/tendermint/v1beta1/blocks/${h + 1n}`),
    api(`/cosmos/base/tendermint/v1beta1/blocks/${h + 2n}`),
    api(`/cosmos/base/tendermint/v1beta1/validatorsets/${h + 1n}?pagination.limit=1000`),
  ]);
  const commit = ((next.block as Json).last_commit ?? {}) as Json;
  const result = checkCertificate({ chainId, contentId, served, query, block, commit, validators });
  const firstFailure = result.steps.find((s) => !s.ok);
  const banner = el(
    "p",
    { id: "proof-result", "data-ok": String(result.ok), class: result.ok ? "ok" : "bad" },
    result.ok
      ? `Passed: the certificate is in the chain's state at height ${h}, under the app hash of block ${h + 1n}, which validators with more than 2/3 of the power signed.`
      : `Failed: ${firstFailure!.name} — ${firstFailure!.detail}`,
  );
  box.replaceChildren(banner, stepsList(result.steps));
}

function stepsList(steps: CheckStep[]): HTMLElement {
  return el(
    "ol",
    { class: "steps" },
    ...steps.map((s) =>
      el(
        "li",
        { class: `step ${s.ok ? "ok" : "bad"}`, "data-ok": String(s.ok) },
        el("strong", {}, `${s.ok ? "✓ passed" : "✗ failed"}: ${s.name}`),
        el("div", { class: "detail" }, s.detail),
      ),
    ),
  );
}

async function validatorsView(): Promise<void> {
  const token = viewToken;
  main.replaceChildren(el("h2", {}, "Validators"), el("p", {}, "loading…"));
  const res = await api("/cosmos/staking/v1beta1/validators?pagination.limit=200");
  const top = await latestHeight();
  const table = el(
    "table",
    { id: "validators" },
    el(
      "tr",
      {},
      ...["validator", "stake", "commission", "status", "agreed", "disagreed", "missed", "abstained", "slashes", "over time"].map((h) => el("th", {}, h)),
    ),
  );
  for (const v of (res.validators ?? []) as Json[]) {
    const operator = String(v.operator_address);
    const stats = ((await api(`/mira/claims/v1/verifier_stats/${operator}`).catch(() => ({ stats: {} }))) as Json).stats as Json;
    const chartCell = el("td", {}, "…");
    const commission = String((((v.commission as Json).commission_rates as Json) ?? {}).rate ?? "0");
    table.append(
      el(
        "tr",
        { class: "validator" },
        el("td", {}, el("div", {}, String((v.description as Json).moniker)), el("div", { class: "mono muted" }, short(operator, 20))),
        el("td", {}, String(v.tokens)),
        el("td", {}, `${(Number(commission) * 100).toFixed(1)}%`),
        el("td", {}, v.jailed ? "jailed" : words(v.status)),
        ...["agreed", "disagreed", "missed", "abstained", "slashes"].map((k) => el("td", {}, String(stats?.[k] ?? "0"))),
        chartCell,
      ),
    );
    void statsChart(operator, top, chartCell);
  }
  if (token === viewToken)
    main.replaceChildren(el("h2", {}, "Validators"), table, el("h2", {}, "Certified claims per block"), el("div", { id: "rate-chart" }, "loading…"));
  await rateChart(document.getElementById("rate-chart")!);
}

/** A validator's agreed / disagreed / missed counts at up to 12 past heights, as three lines. */
async function statsChart(operator: string, top: bigint, cell: HTMLElement): Promise<void> {
  const points: { h: bigint; s: Json }[] = [];
  for (let i = 11; i >= 0; i--) {
    const h = top - BigInt(i * 10);
    if (h < 1n) continue;
    try {
      points.push({ h, s: (await api(`/mira/claims/v1/verifier_stats/${operator}`, h)).stats as Json });
    } catch {
      // pruned or before the validator existed
    }
  }
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 120 40");
  svg.setAttribute("class", "spark");
  const series: [string, string][] = [
    ["agreed", "agreed"],
    ["disagreed", "disagreed"],
    ["missed", "missed"],
  ];
  // One sample (a young chain) is drawn as a flat line across.
  if (points.length === 1) points.push(points[0]!);
  const max = Math.max(1, ...points.flatMap((p) => series.map(([k]) => Number(p.s?.[k] ?? 0))));
  for (const [k, cls] of series) {
    const line = document.createElementNS(svg.namespaceURI, "polyline");
    line.setAttribute("points", points.map((p, i) => `${(i / Math.max(1, points.length - 1)) * 118 + 1},${39 - (Number(p.s?.[k] ?? 0) / max) * 37}`).join(" "));
    line.setAttribute("class", cls);
    svg.append(line);
  }
  const title = document.createElementNS(svg.namespaceURI, "title");
  title.textContent = `agreed (green), disagreed (red), missed (grey) at heights ${points[0]?.h ?? "?"}–${points.at(-1)?.h ?? "?"}`;
  svg.append(title);
  cell.replaceChildren(svg);
}

// ---- Router --------------------------------------------------------------------------------------

async function route(): Promise<void> {
  viewToken++;
  blockListeners.clear();
  const hash = location.hash.replace(/^#\/?/, "");
  const [view, arg] = hash.split("/", 2) as [string, string | undefined];
  try {
    await chain();
    if (view === "content" && arg && /^\d{1,20}$/.test(arg)) await contentView(arg);
    else if (view === "submitter" && arg) await submitterView(decodeURIComponent(arg));
    else if (view === "validators") await validatorsView();
    else await homeView();
  } catch (err) {
    main.append(el("p", { class: "error" }, `The node did not answer: ${(err as Error).message}`));
  }
}

window.addEventListener("hashchange", () => void route());
void route();
