import {
  MsgFundCommunityPool,
  MsgFundCommunityPoolResponse,
  MsgSetWithdrawAddress,
  MsgSetWithdrawAddressResponse,
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
import { emptyAmountError } from "./errors";
import type { DistributionKeeper } from "./keeper";

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

/** Every distribution message handler, in the order the app registers them. */
export function distributionMsgHandlers(d: DistributionKeeper): MsgHandler<unknown>[] {
  return [msgWithdrawDelegatorRewardHandler(d), msgWithdrawValidatorCommissionHandler(d), msgSetWithdrawAddressHandler(d), msgFundCommunityPoolHandler(d)];
}
