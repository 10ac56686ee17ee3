import { MsgMultiSend, MsgMultiSendResponse, MsgSend, MsgSendResponse, MsgUpdateParams, MsgUpdateParamsResponse } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { Any } from "cosmjs-types/google/protobuf/any";
import { Amount, parseCoins } from "../../app/core/coins";
import type { MsgHandler } from "../../app/core/router";
import { parseAddress } from "../../app/core/address";
import { requireAuthority } from "../../app/core/authority";
import type { Context } from "../../app/core/context";
import { invalidCoins, invalidRequest, sendDisabled } from "./errors";
import type { BankKeeper, BankSendKeeper } from "./keeper";
import { validateBankParams } from "./params";

/** Throws SendDisabled when the params turned sends off. */
function checkSendEnabled(bank: BankSendKeeper, ctx: Context): void {
  if (!bank.getParams(ctx).defaultSendEnabled) throw sendDisabled();
}

function sumCoins(lists: Amount[][]): Map<string, bigint> {
  const total = new Map<string, bigint>();
  for (const list of lists) for (const c of list) total.set(c.denom, (total.get(c.denom) ?? 0n) + c.amount);
  return total;
}

/** bank's message handlers, in the order the app registers them: MsgSend, MsgMultiSend, MsgUpdateParams (`authority`: the gov module account). */
export function bankMsgHandlers(bank: BankKeeper, authority: Uint8Array): MsgHandler<unknown>[] {
  return [msgSendHandler(bank), msgMultiSendHandler(bank), msgUpdateParamsHandler(bank, authority)];
}

/** MsgUpdateParams (governance only): replaces the bank params, checked as genesis checks them. */
export function msgUpdateParamsHandler(bank: BankKeeper, authority: Uint8Array): MsgHandler<MsgUpdateParams> {
  return {
    typeUrl: "/cosmos.bank.v1beta1.MsgUpdateParams",
    module: "bank",
    decode: (b) => MsgUpdateParams.decode(b),
    signers: (m) => [parseAddress(m.authority)],
    validateBasic: (m) => {
      parseAddress(m.authority);
      validateBankParams(m.params);
    },
    execute: (ctx, m) => {
      requireAuthority(authority, m.authority);
      validateBankParams(m.params);
      bank.setParams(ctx, m.params);
      return Any.fromPartial({ typeUrl: "/cosmos.bank.v1beta1.MsgUpdateParamsResponse", value: MsgUpdateParamsResponse.encode({}).finish() });
    },
  };
}

/** MsgSend (signed by the sender): moves coins to one recipient. */
export function msgSendHandler(bank: BankSendKeeper): MsgHandler<MsgSend> {
  return {
    typeUrl: "/cosmos.bank.v1beta1.MsgSend",
    module: "bank",
    decode: (b) => MsgSend.decode(b),
    signers: (m) => [parseAddress(m.fromAddress)],
    validateBasic: (m) => {
      parseAddress(m.fromAddress);
      parseAddress(m.toAddress);
      if (parseCoins(m.amount, "amount").length === 0) throw invalidCoins("amount must not be empty");
    },
    execute: (ctx, m) => {
      checkSendEnabled(bank, ctx);
      bank.sendCoins(ctx, parseAddress(m.fromAddress), parseAddress(m.toAddress), parseCoins(m.amount));
      return Any.fromPartial({ typeUrl: "/cosmos.bank.v1beta1.MsgSendResponse", value: MsgSendResponse.encode({}).finish() });
    },
  };
}

/** MsgMultiSend (signed by its one input): moves coins from one input to many outputs. */
export function msgMultiSendHandler(bank: BankSendKeeper): MsgHandler<MsgMultiSend> {
  return {
    typeUrl: "/cosmos.bank.v1beta1.MsgMultiSend",
    module: "bank",
    decode: (b) => MsgMultiSend.decode(b),
    signers: (m) => m.inputs.map((i) => parseAddress(i.address)),
    validateBasic: (m) => {
      // As in SDK 0.50: exactly one input, any number of outputs, equal totals.
      if (m.inputs.length !== 1) throw invalidRequest("multi-send needs exactly one input");
      if (m.outputs.length === 0) throw invalidRequest("multi-send needs at least one output");
      const ins = m.inputs.map((i) => (parseAddress(i.address), parseCoins(i.coins, "input coins")));
      const outs = m.outputs.map((o) => (parseAddress(o.address), parseCoins(o.coins, "output coins")));
      const a = sumCoins(ins);
      const b = sumCoins(outs);
      const same = a.size === b.size && [...a].every(([d, v]) => b.get(d) === v);
      if (!same) throw invalidCoins("sum of inputs does not equal sum of outputs");
    },
    execute: (ctx, m) => {
      checkSendEnabled(bank, ctx);
      const input = m.inputs[0]!;
      const from = parseAddress(input.address);
      bank.subtractCoins(ctx, from, parseCoins(input.coins));
      for (const o of m.outputs) {
        const to = parseAddress(o.address);
        const coins = parseCoins(o.coins);
        bank.accountsEnsure(ctx, to);
        bank.addCoins(ctx, to, coins);
      }
      return Any.fromPartial({ typeUrl: "/cosmos.bank.v1beta1.MsgMultiSendResponse", value: MsgMultiSendResponse.encode({}).finish() });
    },
  };
}
