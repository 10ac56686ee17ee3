// The certificate page in a real browser (Debian's Chromium driven by playwright-core) against the real
// 4-validator localnet: the page mirad serves at / on its REST port follows a content submitted by CosmJS
// until it is certified, without a reload; its in-browser proof check passes; with a tampered
// certificate, or a commit signed by too little power, served to it, it says which check failed and
// why. The validators view draws each validator's record. Screenshots of each state are written to
// MIRA_SCREENSHOT_DIR (default .test-output/web).
import fs from "node:fs";
import path from "node:path";
import { DirectSecp256k1HdWallet, Registry } from "@cosmjs/proto-signing";
import { defaultRegistryTypes, GasPrice, SigningStargateClient } from "@cosmjs/stargate";
import { chromium, type Page, type Route } from "playwright-core";
import t from "tap";
import { REPO_ROOT } from "../app/cli/cometbft";
import { MsgSubmitContent, MsgSubmitContentResponse } from "../proto/gen/mira/claims/v1/tx";
import { startLocalnet } from "./helpers/localnet";

const OFFSET = 500; // its own ports (the other localnet tests use -8000..-2000 and 1000..5500), below the ephemeral range
const CHROMIUM = process.env["MIRA_CHROMIUM"] ?? "/usr/bin/chromium";
const SHOTS = process.env["MIRA_SCREENSHOT_DIR"] ?? path.join(REPO_ROOT, ".test-output", "web");
const STEP_TIMEOUT = 120_000;

const SOURCE = "Tavrin Works builds bridges in Korvel. Tavrin Works was founded by Elsa Marn in 1988. Its largest bridge spans the Oda river.";

async function shot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The steps the page listed, as [passed, text]. */
async function steps(page: Page): Promise<[boolean, string][]> {
  return page.$$eval("#proof li.step", (items) => items.map((li) => [li.getAttribute("data-ok") === "true", li.textContent ?? ""] as [boolean, string]));
}

t.test("the certificate page, live, with its proof checked in the browser", async (t) => {
  t.ok(fs.existsSync(CHROMIUM), `Chromium at ${CHROMIUM} (scripts/setup-browser.sh installs Debian's package)`);
  t.ok(fs.existsSync(path.join(REPO_ROOT, "dist", "web", "app.js")), "the page is built (scripts/build-web.js)");
  const net = startLocalnet(t, OFFSET);
  const base = net.rest(0);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
  t.teardown(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const consoleErrors: string[] = [];
  page.on("pageerror", (err) => consoleErrors.push(err.message));

  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(net.accounts[0]!.mnemonic, { prefix: "mira" });
  const me = net.accounts[0]!.address;
  const registry = new Registry([...defaultRegistryTypes, ["/mira.claims.v1.MsgSubmitContent", MsgSubmitContent]]);
  const client = await SigningStargateClient.connectWithSigner(net.rpc(0), wallet, { gasPrice: GasPrice.fromString("0.025umira"), registry });
  t.teardown(() => client.disconnect());
  const submit = async (content: string) => {
    const msg = {
      typeUrl: "/mira.claims.v1.MsgSubmitContent",
      value: { submitter: me, content, claims: [], sourceContext: SOURCE, thresholdBp: 0, verifiersPerClaim: 0 },
    };
    const res = await client.signAndBroadcast(me, [msg], "auto");
    t.equal(res.code, 0, res.rawLog ?? "");
    return MsgSubmitContentResponse.decode(res.msgResponses[0]!.value).contentId;
  };

  // The home page loads from mirad's REST port.
  await page.goto(`${base}/`);
  await page.waitForSelector("#search-form");
  t.equal(await page.textContent("#chain"), "mira-localnet-1", "the page names the chain it talks to");
  t.comment(`screenshot ${await shot(page, "1-home")}`);

  // A content that is not on the chain yet: the page waits for it, then follows it until it is certified, all live.
  const first = await submit("Tavrin Works was founded by Elsa Marn in 1988.");
  const next = first + 1n;
  await page.goto(`${base}/#/content/${next}`);
  await page.waitForSelector('#status[data-state="waiting"]');
  await page.evaluate("window.__noReload = true");
  t.comment(`screenshot ${await shot(page, "2-waiting")}`);
  const id = await submit("Tavrin Works builds bridges in Korvel. Tavrin Works was founded by Elsa Marn in 1988.");
  t.equal(id, next, "the content the page waits for");
  await page.waitForSelector('#status[data-state="pending"], #status[data-state="certified"]', { timeout: STEP_TIMEOUT });
  if ((await page.getAttribute("#status", "data-state")) === "pending") t.comment(`screenshot ${await shot(page, "3-being-verified")}`);
  await page.waitForSelector('#status[data-state="certified"]', { timeout: STEP_TIMEOUT });
  t.equal(await page.evaluate("window.__noReload"), true, "certified live: the page was never reloaded");
  t.equal(await page.locator("tr.claim").count(), 2, "both claims, in order");
  t.match(await page.textContent("tr.claim >> nth=0"), /Tavrin Works builds bridges in Korvel/);
  t.ok((await page.locator("ul.voters li").count()) >= 2, "the voters are listed");
  t.match(
    await page.textContent("ul.voters"),
    /miravaloper1\S*\s+(supported|refuted|unverifiable|abstain)\s+[0-9A-F]{10}/,
    "each voter with its verdict and model hash",
  );
  await page.waitForSelector("#proof-result", { timeout: STEP_TIMEOUT });
  t.equal(await page.getAttribute("#proof-result", "data-ok"), "true", `proof check: ${await page.textContent("#proof-result")}`);
  const passed = await steps(page);
  t.ok(passed.length >= 7 && passed.every(([ok]) => ok), "every step passed");
  t.match(passed.map(([, text]) => text).join("\n"), /more than 2\/3 of the power signed it/);
  t.equal(await page.getAttribute("#permalink", "href"), `${base}/#/content/${id}`, "a permalink per content");
  t.comment(`screenshot ${await shot(page, "4-certified-proof-passed")}`);

  // A tampered certificate served to the page: the check fails, and says which step and why.
  const tamper = async (pattern: string, edit: (json: Record<string, unknown>) => void): Promise<void> => {
    await page.route(pattern, async (route: Route) => {
      const res = await route.fetch();
      const json = (await res.json()) as Record<string, unknown>;
      edit(json);
      await route.fulfill({ response: res, json });
    });
  };
  await tamper("**/mira/claims/v1/certificates/*", (json) => {
    const claims = (json.certificate as { claims: { stake_for: string }[] }).claims;
    claims[0]!.stake_for = String(BigInt(claims[0]!.stake_for) + 1_000_000n);
  });
  await page.reload();
  await page.waitForSelector("#proof-result", { timeout: STEP_TIMEOUT });
  t.equal(await page.getAttribute("#proof-result", "data-ok"), "false", "a tampered certificate fails");
  t.match(await page.textContent("#proof-result"), /the certificate shown is the one proven.*differs from the bytes in the proven state/);
  const tampered = await steps(page);
  t.ok(tampered.filter(([ok]) => !ok).length === 1, "only that step failed: the proof itself holds");
  t.comment(`screenshot ${await shot(page, "5-tampered-certificate")}`);
  await page.unrouteAll({ behavior: "wait" });

  // A commit in which only one of the four validators signed: too little power.
  await tamper("**/cosmos/base/tendermint/v1beta1/blocks/*", (json) => {
    const commit = (json.block as { last_commit: { signatures: { block_id_flag: string }[] } }).last_commit;
    commit.signatures.forEach((s, i) => {
      if (i > 0) s.block_id_flag = "BLOCK_ID_FLAG_ABSENT";
    });
  });
  await page.reload();
  await page.waitForSelector("#proof-result", { timeout: STEP_TIMEOUT });
  t.equal(await page.getAttribute("#proof-result", "data-ok"), "false", "too little signing power fails");
  t.match(await page.textContent("#proof-result"), /more than 2\/3 of the power signed it.*hold \d+ of \d+ voting power/);
  t.comment(`screenshot ${await shot(page, "6-too-little-power")}`);
  await page.unrouteAll({ behavior: "wait" });

  // The validators, their verification record over time, and the certified-claims rate.
  await page.goto(`${base}/#/validators`);
  await page.waitForSelector("#validators tr.validator");
  t.equal(await page.locator("#validators tr.validator").count(), 4, "the four validators");
  await page.waitForSelector("#validators svg.spark polyline.agreed", { timeout: STEP_TIMEOUT, state: "attached" });
  t.equal(await page.locator("#validators svg.spark").count(), 4, "a chart per validator");
  await page.waitForSelector("#rate-chart svg", { timeout: STEP_TIMEOUT });
  t.match(await page.textContent("#rate-chart"), /claims certified in blocks/);
  t.comment(`screenshot ${await shot(page, "7-validators")}`);
  t.same(consoleErrors, [], "no script errors in the page");
});
