// The error registry (app/core/errors.ts): every codespace the chain answers with is registered once,
// at load, with one name per code; a second registration of a codespace, a shared code or a code
// below 2 throws before the chain could send an ambiguous code to a client.
import t from "tap";
import "../app/chain/app";
import { registerCodes, registeredCodes, SDK_CODESPACE, SdkCode } from "../app/core/errors";

t.test("every module's codespace is registered once, with its codes", async (t) => {
  const spaces = registeredCodes();
  for (const codespace of [SDK_CODESPACE, "staking", "slashing", "claims", "sessions"]) t.ok(spaces.has(codespace), `${codespace} is registered`);
  t.equal(spaces.get(SDK_CODESPACE)!.get(SdkCode.InsufficientFunds), "InsufficientFunds", "a code maps back to its name");
  t.equal(spaces.get("claims")!.get(13), "InvalidVoteExtension");
  for (const [codespace, codes] of spaces)
    t.ok(
      [...codes.keys()].every((c) => Number.isSafeInteger(c) && c >= 2),
      `${codespace}: every code is at least 2`,
    );
});

t.test("a duplicate codespace, a shared code or a code below 2 throws at registration", async (t) => {
  t.throws(() => registerCodes("claims", { Other: 99 }), /codespace "claims" is registered twice/);
  t.throws(() => registerCodes("test-shared", { A: 2, B: 2 }), /A and B both have code 2/);
  t.throws(() => registerCodes("test-low", { Internal: 1 }), /codes start at 2/);
  t.same(Object.keys(registerCodes("test-fresh", { Fine: 2, AlsoFine: 3 })), ["Fine", "AlsoFine"], "a fresh codespace registers");
  t.throws(() => registerCodes("test-fresh", { Fine: 2 }), /registered twice/, "and only once");
});
