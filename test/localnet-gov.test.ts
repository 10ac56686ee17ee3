// Governance on the real 4-validator localnet with CosmJS only, as a wallet would drive it: a v1
// MsgSubmitProposal carrying gov's MsgUpdateParams and a v1beta1 TextProposal, signed and broadcast
// with SigningStargateClient; the validators vote with MsgVote (v1 and v1beta1); a delegator votes
// against its validator and overrides it by exactly its stake; a vetoed proposal burns its deposit
// and one under quorum gets it back. The test waits on the proposals' status through QueryClient's
// GovExtension, then reads the changed params back, and one proposal over gRPC.
import fs from "node:fs";
import path from "node:path";
import { DirectSecp256k1HdWallet, type EncodeObject } from "@cosmjs/proto-signing";
import { createProtobufRpcClient, GasPrice, QueryClient, setupGovExtension, SigningStargateClient } from "@cosmjs/stargate";
import { connectComet } from "@cosmjs/tendermint-rpc";
import { ProposalStatus, VoteOption } from "cosmjs-types/cosmos/gov/v1/gov";
import { QueryClientImpl, QueryProposalRequest, QueryProposalResponse } from "cosmjs-types/cosmos/gov/v1/query";
import { MsgSubmitProposalResponse, MsgUpdateParams } from "cosmjs-types/cosmos/gov/v1/tx";
import { TextProposal } from "cosmjs-types/cosmos/gov/v1beta1/gov";
import { MsgSubmitProposalResponse as LegacySubmitResponse } from "cosmjs-types/cosmos/gov/v1beta1/tx";
import t from "tap";
import { bech32Address } from "../app/core/address";
import { moduleAddress } from "../modules/auth/keeper";
import { callUnary, grpcClient } from "./helpers/grpc-client";
import { startLocalnet } from "./helpers/localnet";

const OFFSET = 5_500; // its own ports (the other localnet and single-node tests use -8000..5000), below the ephemeral range
const gasPrice = GasPrice.fromString("0.025umira");
const GOV = bech32Address(moduleAddress("gov"));
const MIRA = 1_000_000n;

t.test("a v1 param change and a v1beta1 text proposal pass on the localnet with CosmJS", async (t) => {
  const net = startLocalnet(t, OFFSET, { MIRA_LOCALNET_GOV_VOTING_PERIOD: "45s", MIRA_LOCALNET_GOV_EXPEDITED_PERIOD: "20s" });
  const rpc = net.rpc(0);
  const operators = JSON.parse(fs.readFileSync(path.join(net.dir, "validators.json"), "utf8")) as { address: string; mnemonic: string; valoper: string }[];
  const connect = async (mnemonic: string) => {
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(mnemonic, { prefix: "mira" });
    const [account] = await wallet.getAccounts();
    const client = await SigningStargateClient.connectWithSigner(rpc, wallet, { gasPrice });
    t.teardown(() => client.disconnect());
    return { address: account!.address, client };
  };
  const proposer = await connect(net.accounts[0]!.mnemonic);
  const delegator = await connect(net.accounts[1]!.mnemonic);
  const validators = await Promise.all(operators.map((o) => connect(o.mnemonic)));
  const comet = await connectComet(rpc);
  t.teardown(() => comet.disconnect());
  const queryClient = QueryClient.withExtensions(comet, setupGovExtension);
  const v1 = new QueryClientImpl(createProtobufRpcClient(queryClient));

  const params = (await v1.Params({ paramsType: "" })).params!;
  t.same(params.votingPeriod, { seconds: 45n, nanos: 0 }, "the localnet's voting period, shortened by MIRA_LOCALNET_GOV_VOTING_PERIOD");
  const minDeposit = params.minDeposit;

  // The delegator bonds 100 MIRA to validator 0 (which self-bonds 100).
  const delegated = await delegator.client.delegateTokens(
    delegator.address,
    operators[0]!.valoper,
    { denom: "umira", amount: (100n * MIRA).toString() },
    "auto",
  );
  t.equal(delegated.code, 0, delegated.rawLog ?? "");

  // A v1 proposal carrying gov's own MsgUpdateParams: quorum 0.334 → 0.25, and a v1beta1 TextProposal.
  const update = MsgUpdateParams.encode({ authority: GOV, params: { ...params, quorum: "0.250000000000000000" } }).finish();
  const submitV1: EncodeObject = {
    typeUrl: "/cosmos.gov.v1.MsgSubmitProposal",
    value: {
      messages: [{ typeUrl: "/cosmos.gov.v1.MsgUpdateParams", value: update }],
      initialDeposit: minDeposit,
      proposer: proposer.address,
      metadata: "",
      title: "lower the quorum",
      summary: "quorum 0.25",
      expedited: false,
    },
  };
  const submitted = await proposer.client.signAndBroadcast(proposer.address, [submitV1], "auto");
  t.equal(submitted.code, 0, submitted.rawLog ?? "");
  const paramsId = MsgSubmitProposalResponse.decode(submitted.msgResponses[0]!.value).proposalId;
  const submitLegacy: EncodeObject = {
    typeUrl: "/cosmos.gov.v1beta1.MsgSubmitProposal",
    value: {
      content: { typeUrl: "/cosmos.gov.v1beta1.TextProposal", value: TextProposal.encode({ title: "a signal", description: "we agree" }).finish() },
      initialDeposit: minDeposit,
      proposer: proposer.address,
    },
  };
  const legacy = await proposer.client.signAndBroadcast(proposer.address, [submitLegacy], "auto");
  t.equal(legacy.code, 0, legacy.rawLog ?? "");
  const textId = LegacySubmitResponse.decode(legacy.msgResponses[0]!.value).proposalId;
  t.equal(
    (await queryClient.gov.proposal(textId.toString())).proposal.status,
    ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD,
    "the min deposit opened the vote at once",
  );

  // Two more, from their own proposers: one the validators veto (its deposit is burnt), one only the
  // delegator votes on (20% of the stake, under quorum: its deposit comes back).
  const vetoer = await connect(net.accounts[2]!.mnemonic);
  const idle = await connect(net.accounts[3]!.mnemonic);
  const signal = async (from: typeof proposer, title: string) => {
    const res = await from.client.signAndBroadcast(
      from.address,
      [
        {
          typeUrl: "/cosmos.gov.v1.MsgSubmitProposal",
          value: { messages: [], initialDeposit: minDeposit, proposer: from.address, metadata: "", title, summary: title, expedited: false },
        },
      ],
      "auto",
    );
    t.equal(res.code, 0, res.rawLog ?? "");
    return MsgSubmitProposalResponse.decode(res.msgResponses[0]!.value).proposalId;
  };
  const vetoId = await signal(vetoer, "to be vetoed");
  const quorumId = await signal(idle, "under quorum");
  const umira = async (address: string) => BigInt((await proposer.client.getBalance(address, "umira")).amount);
  const [vetoerBefore, idleBefore] = [await umira(vetoer.address), await umira(idle.address)];

  // Every validator votes yes on the first two (v1 and v1beta1 MsgVote in one tx); validators 0-2
  // veto the third; the delegator votes no on the text proposal and yes on the fourth.
  const vote = (proposalId: bigint, voter: string, option: VoteOption): EncodeObject => ({
    typeUrl: "/cosmos.gov.v1.MsgVote",
    value: { proposalId, voter, option, metadata: "" },
  });
  const votes = await Promise.all(
    validators.map((v, i) =>
      v.client.signAndBroadcast(
        v.address,
        [
          vote(paramsId, v.address, VoteOption.VOTE_OPTION_YES),
          { typeUrl: "/cosmos.gov.v1beta1.MsgVote", value: { proposalId: textId, voter: v.address, option: VoteOption.VOTE_OPTION_YES } },
          vote(vetoId, v.address, i < 3 ? VoteOption.VOTE_OPTION_NO_WITH_VETO : VoteOption.VOTE_OPTION_YES),
        ],
        "auto",
      ),
    ),
  );
  for (const v of votes) t.equal(v.code, 0, v.rawLog ?? "");
  const own = await delegator.client.signAndBroadcast(
    delegator.address,
    [vote(textId, delegator.address, VoteOption.VOTE_OPTION_NO), vote(quorumId, delegator.address, VoteOption.VOTE_OPTION_YES)],
    "auto",
  );
  t.equal(own.code, 0, own.rawLog ?? "");

  // Wait for the end of the voting periods: a condition on the proposals' status, not a fixed sleep.
  const decided = async (id: bigint) => {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const p = (await queryClient.gov.proposal(id.toString())).proposal;
      if (p.status !== ProposalStatus.PROPOSAL_STATUS_VOTING_PERIOD) return p;
      if (Date.now() > deadline) throw new Error(`proposal ${id} still voting after 120 s`);
      await new Promise((r) => setTimeout(r, 500));
    }
  };
  const paramsProposal = await decided(paramsId);
  t.equal(paramsProposal.status, ProposalStatus.PROPOSAL_STATUS_PASSED, "the params proposal passed");
  t.equal((await v1.Params({ paramsType: "" })).params!.quorum, "0.250000000000000000", "and changed gov's quorum");
  const text = await decided(textId);
  t.equal(text.status, ProposalStatus.PROPOSAL_STATUS_PASSED, "the text proposal passed");
  t.equal(text.content!.typeUrl, "/cosmos.gov.v1beta1.TextProposal");
  // 4 validators × 100 MIRA yes, minus the delegator's 100 MIRA, which voted no.
  t.same(
    { yes: text.finalTallyResult.yes, no: text.finalTallyResult.no },
    { yes: (400n * MIRA).toString(), no: (100n * MIRA).toString() },
    "the delegator overrode validator 0's vote by exactly its stake",
  );
  const v1Text = (await v1.Proposal({ proposalId: textId })).proposal!;
  t.equal(v1Text.title, "a signal");

  const vetoed = await decided(vetoId);
  t.equal(vetoed.status, ProposalStatus.PROPOSAL_STATUS_REJECTED, "vetoed");
  t.equal(await umira(vetoer.address), vetoerBefore, "the vetoed proposal's deposit was burnt");
  const ignored = await decided(quorumId);
  t.equal(ignored.status, ProposalStatus.PROPOSAL_STATUS_REJECTED, "under quorum");
  t.equal(await umira(idle.address), idleBefore + BigInt(minDeposit[0]!.amount), "the under-quorum proposal's deposit came back");

  // The same answers over gRPC (the one query registry serves both).
  const grpc = grpcClient(t, 9090 + OFFSET);
  const answer = await callUnary(grpc, "/cosmos.gov.v1.Query/Proposal", QueryProposalRequest.encode({ proposalId: paramsId }).finish());
  t.equal(QueryProposalResponse.decode(answer.response).proposal!.status, ProposalStatus.PROPOSAL_STATUS_PASSED, "gRPC cosmos.gov.v1.Query/Proposal");
});
