// The gov CLI as a user runs it (child processes, a temp keyring) against a real one-validator chain
// (CometBFT + mirad) with short gov periods: a proposal file in the SDK v0.50 format carrying gov's
// MsgUpdateParams (params read back from `query gov params -o json`), a vote, the proposal passing and
// the new params; a second proposal deposited on, weighted-voted and cancelled; bad input refused.
// The proposal file's JSON forms of bank MsgSend, distribution MsgCommunityPoolSpend and a module's
// MsgUpdateParams with LegacyDec fields are checked offline against cosmjs-types.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { MsgCommunityPoolSpend } from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import { MsgUpdateParams as StakingUpdateParams } from "cosmjs-types/cosmos/staking/v1beta1/tx";
import { MsgUpdateParams as SlashingUpdateParams } from "cosmjs-types/cosmos/slashing/v1beta1/tx";
import t, { type Test } from "tap";
import { REPO_ROOT } from "../app/cli/cometbft";
import { readProposalFile } from "../app/cli/tx-gov";
import { bech32Address } from "../app/core/address";
import { moduleAddress } from "../modules/auth/keeper";
import { startSingleNode } from "./helpers/single-node";
import { tempDir } from "./helpers/tmp";

const MAIN = path.join(REPO_ROOT, "dist", "app", "cli", "main.js");
const OFFSET = 6_000; // its own ports (the other single-node and localnet tests use -8000..5500), below the ephemeral range
const GOV = bech32Address(moduleAddress("gov"));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function mirad(args: string[], input = ""): Run {
  const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };
  const result = spawnSync(process.execPath, [MAIN, ...args], { input, env, encoding: "utf8", timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function succeeds(t: Test, run: Run, what: string): string {
  t.equal(run.code, 0, `${what}: ${run.stderr}`);
  return run.stdout;
}

t.test("proposal files: the SDK's JSON of other modules' messages becomes their protobuf", async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, "p.json");
  fs.writeFileSync(
    file,
    JSON.stringify({
      messages: [
        { "@type": "/cosmos.bank.v1beta1.MsgSend", from_address: GOV, to_address: GOV, amount: [{ denom: "umira", amount: "5" }] },
        { "@type": "/cosmos.distribution.v1beta1.MsgCommunityPoolSpend", authority: GOV, recipient: GOV, amount: [{ denom: "umira", amount: "7" }] },
        {
          "@type": "/cosmos.staking.v1beta1.MsgUpdateParams",
          authority: GOV,
          params: { unbonding_time: "1814400s", max_validators: 50, max_entries: 7, historical_entries: 100, bond_denom: "umira", min_commission_rate: "0.05" },
        },
        {
          "@type": "/cosmos.slashing.v1beta1.MsgUpdateParams",
          authority: GOV,
          params: {
            signed_blocks_window: "100",
            min_signed_per_window: "0.5",
            downtime_jail_duration: "600s",
            slash_fraction_double_sign: "0.05",
            slash_fraction_downtime: "0.01",
          },
        },
      ],
      metadata: "ipfs://x",
      deposit: "10umira",
      title: "t",
      summary: "s",
      expedited: true,
    }),
  );
  const m = readProposalFile(file, GOV, "test");
  t.same(m.initialDeposit, [{ denom: "umira", amount: "10" }]);
  t.equal(m.expedited, true);
  t.same(MsgSend.decode(m.messages[0]!.value).amount, [{ denom: "umira", amount: "5" }]);
  t.equal(MsgCommunityPoolSpend.decode(m.messages[1]!.value).recipient, GOV);
  const staking = StakingUpdateParams.decode(m.messages[2]!.value).params;
  t.same(staking.unbondingTime, { seconds: 1_814_400n, nanos: 0 });
  t.equal(staking.maxValidators, 50);
  t.equal(staking.minCommissionRate, "50000000000000000", "LegacyDec text becomes atomics");
  const slashing = SlashingUpdateParams.decode(m.messages[3]!.value).params;
  t.equal(Buffer.from(slashing.minSignedPerWindow).toString(), "500000000000000000", "LegacyDec bytes fields too");
  t.same(slashing.downtimeJailDuration, { seconds: 600n, nanos: 0 });
  fs.writeFileSync(file, JSON.stringify({ messages: [{ "@type": "/cosmos.nothing.v1.MsgNothing" }] }));
  t.throws(() => readProposalFile(file, GOV, "test"), /message 0: no JSON form is known for \/cosmos\.nothing\.v1\.MsgNothing/);
});

t.test("the gov CLI against a one-validator chain", async (t) => {
  const chain = await startSingleNode(t, OFFSET, {
    appState: { gov: { params: { max_deposit_period: "60s", voting_period: "20s", expedited_voting_period: "10s" } } },
  });
  const node = ["--node", chain.rpc];
  const keyHome = tempDir(t);
  const keyFlags = ["--keyring-backend", "test", "--home", keyHome];
  succeeds(t, mirad(["keys", "import", "alice", ...keyFlags], chain.user.mnemonic + "\n"), "keys import");
  const alice = chain.user.address;
  const txFlags = [...keyFlags, "--gas-prices", "0.025umira", "--gas", "400000", "--yes", ...node, "-o", "json"];
  const tx = (module: string, ...args: string[]) => {
    const out = JSON.parse(succeeds(t, mirad(["tx", module, ...args, ...txFlags]), `tx ${module} ${args[0]}`)) as { code: number; raw_log: string };
    t.equal(out.code, 0, `tx ${module} ${args[0]}: ${out.raw_log}`);
  };
  const query = <T>(...args: string[]): T => JSON.parse(succeeds(t, mirad(["query", "gov", ...args, ...node, "-o", "json"]), `query gov ${args[0]}`)) as T;

  // Alice bonds 1,000 MIRA (the validator self-bonds 100): her vote alone reaches quorum and threshold.
  tx("staking", "delegate", "alice", chain.validator.valoper, "1000000000umira");
  const { params, gov_module_account } = query<{ params: Record<string, unknown>; gov_module_account: string }>("params");
  t.equal(gov_module_account, GOV);
  t.equal(params["voting_period"], "20s");
  const dir = tempDir(t);
  const file = path.join(dir, "proposal.json");
  fs.writeFileSync(
    file,
    JSON.stringify({
      messages: [{ "@type": "/cosmos.gov.v1.MsgUpdateParams", authority: GOV, params: { ...params, voting_period: "21s" } }],
      metadata: "ipfs://meta",
      deposit: "10000000umira",
      title: "a longer vote",
      summary: "voting period 21 s",
      expedited: false,
    }),
  );
  tx("gov", "submit-proposal", "alice", file);
  const voting = query<{ proposals: { id: string; status: string }[] }>("proposals", "--status", "voting_period").proposals;
  t.same(
    voting.map((p) => [p.id, p.status]),
    [["1", "PROPOSAL_STATUS_VOTING_PERIOD"]],
  );
  tx("gov", "vote", "alice", "1", "yes");
  t.same(query<{ vote: { options: { option: string; weight: string }[] } }>("vote", "1", alice).vote.options, [
    { option: "VOTE_OPTION_YES", weight: "1.000000000000000000" },
  ]);
  t.equal(query<{ tally: { yes_count: string } }>("tally", "1").tally.yes_count, "1000000000", "alice's stake, live");
  let status = "";
  for (let i = 0; i < 200 && status !== "PROPOSAL_STATUS_PASSED"; i++) {
    status = query<{ proposal: { status: string } }>("proposal", "1").proposal.status;
    if (status === "PROPOSAL_STATUS_VOTING_PERIOD") await new Promise((r) => setTimeout(r, 300));
    else break;
  }
  t.equal(status, "PROPOSAL_STATUS_PASSED");
  t.equal(query<{ params: { voting_period: string } }>("params").params.voting_period, "21s", "the proposal changed the voting period");

  // A second proposal: half the min deposit, then a deposit opens the vote; a weighted vote; cancelled.
  fs.writeFileSync(file, JSON.stringify({ messages: [], deposit: "5000000umira", title: "a signal", summary: "text" }));
  tx("gov", "submit-proposal", "alice", file);
  t.equal(query<{ proposal: { status: string } }>("proposal", "2").proposal.status, "PROPOSAL_STATUS_DEPOSIT_PERIOD");
  tx("gov", "deposit", "alice", "2", "5000000umira");
  tx("gov", "weighted-vote", "alice", "2", "yes=0.6,no=0.4");
  t.same(query<{ votes: { options: { option: string; weight: string }[] }[] }>("votes", "2").votes[0]!.options, [
    { option: "VOTE_OPTION_YES", weight: "0.600000000000000000" },
    { option: "VOTE_OPTION_NO", weight: "0.400000000000000000" },
  ]);
  tx("gov", "cancel", "alice", "2");
  const gone = mirad(["query", "gov", "proposal", "2", ...node]);
  t.equal(gone.code, 1);
  t.match(gone.stderr, /proposal 2 doesn't exist/);

  const badOption = mirad(["tx", "gov", "vote", "alice", "1", "maybe", ...txFlags]);
  t.equal(badOption.code, 1);
  t.match(badOption.stderr, /unknown vote option "maybe"; use yes, no, abstain or no_with_veto/);
  const badFile = mirad(["tx", "gov", "submit-proposal", "alice", path.join(dir, "none.json"), ...txFlags]);
  t.equal(badFile.code, 1);
  t.match(badFile.stderr, /cannot read the proposal file/);
});
