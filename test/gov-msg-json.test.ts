// Proposal files carry messages in the SDK's JSON form; the chain's own governance-only messages
// (claims and sessions params, the minimum gas price) must be writable there too, or a proposal that
// changes the model allow-list could only be built in code.
import t from "tap";
import { MsgUpdateParams as ClaimsMsgUpdateParams } from "../proto/gen/mira/claims/v1/tx";
import { MsgUpdateMinGasPrice } from "../proto/gen/mira/auth/v1/tx";
import { anyFromJson, jsonTypeUrls } from "../modules/gov/msg-json";
import { GOV_AUTHORITY } from "../app/chain/modules";
import { bech32Address } from "../app/core/address";

const GOV = bech32Address(GOV_AUTHORITY);

t.test("a claims MsgUpdateParams in proposal JSON: snake_case fields, base64 model hashes, a duration in seconds", async (t) => {
  const model = Buffer.alloc(32, 7);
  const any = anyFromJson({
    "@type": "/mira.claims.v1.MsgUpdateParams",
    authority: GOV,
    params: {
      max_claims: 32,
      default_verifiers_per_claim: 3,
      default_threshold_bp: 7500,
      allowed_model_hashes: [model.toString("base64")],
      jail_duration: "600s",
      slash_fraction_verification: "0.001",
    },
  });
  t.equal(any.typeUrl, "/mira.claims.v1.MsgUpdateParams");
  const msg = ClaimsMsgUpdateParams.decode(any.value);
  t.equal(msg.authority, GOV);
  t.equal(msg.params!.defaultThresholdBp, 7500);
  t.equal(msg.params!.defaultVerifiersPerClaim, 3);
  t.same(
    msg.params!.allowedModelHashes.map((h) => Buffer.from(h).toString("hex")),
    [model.toString("hex")],
  );
  t.equal(msg.params!.jailDuration!.seconds, 600n);
  t.equal(msg.params!.slashFractionVerification, "0.001");
});

t.test("the minimum gas price and sessions params are known; an unknown type is refused by name", async (t) => {
  const any = anyFromJson({ "@type": "/mira.auth.v1.MsgUpdateMinGasPrice", authority: GOV, min_gas_price: "0.05umira" });
  t.equal(MsgUpdateMinGasPrice.decode(any.value).authority, GOV);
  t.ok(jsonTypeUrls().includes("/mira.sessions.v1.MsgUpdateParams"));
  t.throws(() => anyFromJson({ "@type": "/mira.nothing.v1.MsgNothing" }), /no JSON form is known for \/mira\.nothing\.v1\.MsgNothing/);
});
