import {
  MsgCommunityPoolSpend,
  MsgCommunityPoolSpendResponse,
  MsgFundCommunityPool,
  MsgFundCommunityPoolResponse,
  MsgSetWithdrawAddress,
  MsgSetWithdrawAddressResponse,
  MsgUpdateParams,
  MsgUpdateParamsResponse,
  MsgWithdrawDelegatorReward,
  MsgWithdrawDelegatorRewardResponse,
  MsgWithdrawValidatorCommission,
  MsgWithdrawValidatorCommissionResponse,
} from "cosmjs-types/cosmos/distribution/v1beta1/tx";
import { Any } from "cosmjs-types/google/protobuf/any";
import { parseCoins, toCoin } from "../../app/core/coins";
import type { MsgHandler } from "../../app/core/router";
import { parseAddress } from "../../app/core/address";
import { parseValoper } from "../../app/core/address";
import { requireAuthority } from "../../app/core/authority";
import { emptyAmountError } from "./errors";
import type { DistributionKeeper } from "./keeper";
import { validateDistributionParams } from "./params";

const packed = (typeUrl: string, value: Uint8Array): Any => Any.fromPartial({ typeUrl, value });

export function msgWithdrawDelegatorRewardHandler(d: DistributionKeeper): MsgHandler<MsgWithdrawDelegatorReward> {
  return {
    typeUrl: "/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward",
    module: "distribution",
    decode: (b) => MsgWithdrawDelegatorReward.decode(b),
    signers: (m) => [parseAddress(m.delegatorAddress)],
    validateBasic: (m) => {
      parseAddress(m.delegatorAddress);
      parseValoper(m.validatorAddress);
    },
    execute: (ctx, m) => {
      const coins = d.withdrawAndRestart(ctx, parseAddress(m.delegatorAddress), parseValoper(m.validatorAddress));
      return packed(
        "/cosmos.distribution.v1beta1.MsgWithdrawDelegatorRewardResponse",
        MsgWithdrawDelegatorRewardResponse.encode({ amount: coins.map(toCoin) }).finish(),
      );
    },
  };
}

export function msgWithdrawValidatorCommissionHandler(d: DistributionKeeper): MsgHandler<MsgWithdrawValidatorCommission> {
  return {
    typeUrl: "/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommission",
    module: "distribution",
    decode: (b) => MsgWithdrawValidatorCommission.decode(b),
    signers: (m) => [parseValoper(m.validatorAddress)],
    validateBasic: (m) => {
      parseValoper(m.validatorAddress);
    },
    execute: (ctx, m) => {
      const coins = d.withdrawCommission(ctx, parseValoper(m.validatorAddress));
      return packed(
        "/cosmos.distribution.v1beta1.MsgWithdrawValidatorCommissionResponse",
        MsgWithdrawValidatorCommissionResponse.encode({ amount: coins.map(toCoin) }).finish(),
      );
    },
  };
}

export function msgSetWithdrawAddressHandler(d: DistributionKeeper): MsgHandler<MsgSetWithdrawAddress> {
  return {
    typeUrl: "/cosmos.distribution.v1beta1.MsgSetWithdrawAddress",
    module: "distribution",
    decode: (b) => MsgSetWithdrawAddress.decode(b),
    signers: (m) => [parseAddress(m.delegatorAddress)],
    validateBasic: (m) => {
      parseAddress(m.delegatorAddress);
      parseAddress(m.withdrawAddress);
    },
    execute: (ctx, m) => {
      d.setWithdrawAddress(ctx, parseAddress(m.delegatorAddress), parseAddress(m.withdrawAddress));
      return packed("/cosmos.distribution.v1beta1.MsgSetWithdrawAddressResponse", MsgSetWithdrawAddressResponse.encode({}).finish());
    },
  };
}

export function msgFundCommunityPoolHandler(d: DistributionKeeper): MsgHandler<MsgFundCommunityPool> {
  return {
    typeUrl: "/cosmos.distribution.v1beta1.MsgFundCommunityPool",
    module: "distribution",
    decode: (b) => MsgFundCommunityPool.decode(b),
    signers: (m) => [parseAddress(m.depositor)],
    validateBasic: (m) => {
      parseAddress(m.depositor);
      if (parseCoins(m.amount, "amount").length === 0) throw emptyAmountError();
    },
    execute: (ctx, m) => {
      d.fundCommunityPool(ctx, parseAddress(m.depositor), parseCoins(m.amount, "amount"));
      return packed("/cosmos.distribution.v1beta1.MsgFundCommunityPoolResponse", MsgFundCommunityPoolResponse.encode({}).finish());
    },
  };
}

/** MsgUpdateParams (governance only): replaces every distribution param at once, each checked as genesis checks it. */
export function msgUpdateParamsHandler(d: DistributionKeeper, authority: Uint8Array): MsgHandler<MsgUpdateParams> {
  return {
    typeUrl: "/cosmos.distribution.v1beta1.MsgUpdateParams",
    module: "distribution",
    decode: (b) => MsgUpdateParams.decode(b),
    signers: (m) => [parseAddress(m.authority)],
    validateBasic: (m) => {
      parseAddress(m.authority);
      validateDistributionParams(m.params);
    },
    execute: (ctx, m) => {
      requireAuthority(authority, m.authority);
      validateDistributionParams(m.params);
      d.setParams(ctx, m.params);
      return packed("/cosmos.distribution.v1beta1.MsgUpdateParamsResponse", MsgUpdateParamsResponse.encode({}).finish());
    },
  };
}

/** MsgCommunityPoolSpend (governance only): pays coins from the community pool to a recipient. */
export function msgCommunityPoolSpendHandler(d: DistributionKeeper, authority: Uint8Array): MsgHandler<MsgCommunityPoolSpend> {
  return {
    typeUrl: "/cosmos.distribution.v1beta1.MsgCommunityPoolSpend",
    module: "distribution",
    decode: (b) => MsgCommunityPoolSpend.decode(b),
    signers: (m) => [parseAddress(m.authority)],
    validateBasic: (m) => {
      parseAddress(m.authority);
      parseAddress(m.recipient);
      if (parseCoins(m.amount, "amount").length === 0) throw emptyAmountError();
    },
    execute: (ctx, m) => {
      requireAuthority(authority, m.authority);
      d.spendCommunityPool(ctx, parseAddress(m.recipient), parseCoins(m.amount, "amount"));
      return packed("/cosmos.distribution.v1beta1.MsgCommunityPoolSpendResponse", MsgCommunityPoolSpendResponse.encode({}).finish());
    },
  };
}

/** Every distribution message handler, in the order the app registers them (`authority`: the gov module account). */
export function distributionMsgHandlers(d: DistributionKeeper, authority: Uint8Array): MsgHandler<unknown>[] {
  return [
    msgWithdrawDelegatorRewardHandler(d),
    msgWithdrawValidatorCommissionHandler(d),
    msgSetWithdrawAddressHandler(d),
    msgFundCommunityPoolHandler(d),
    msgUpdateParamsHandler(d, authority),
    msgCommunityPoolSpendHandler(d, authority),
  ];
}
