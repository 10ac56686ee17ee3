// The chain described for wallets and explorers: chain.json and assetlist.json in the Cosmos chain
// registry's format (github.com/cosmos/chain-registry), and the ChainInfo that Keplr's
// window.keplr.experimentalSuggestChain takes. `npm run localnet` writes all three into its data folder.
import { BECH32_PREFIX as ACCOUNT_PREFIX } from "../app/core/address";

export interface ChainDescription {
  chainId: string;
  /** CometBFT RPC, REST and gRPC of the node wallets should use. */
  rpc: string;
  rest: string;
  grpc: string;
  /** The fee and staking token: its base denom, display denom, symbol and decimals. */
  denom: string;
  display: string;
  symbol: string;
  decimals: number;
  /** The chain's minimum gas price in `denom` (the low step). */
  minGasPrice: number;
}

/** BIP-44 coin type: the Cosmos Hub's, which CosmJS, Keplr and the CLI's keyring all use by default. */
export const SLIP44 = 118;

const GAS_STEPS = (min: number) => ({ low: min, average: round(min * 1.2), high: round(min * 1.6) });
const round = (n: number): number => Math.round(n * 1e6) / 1e6;

/** chain.json (chain registry schema): ids, prefix, fees, staking token, APIs. */
export function chainJson(c: ChainDescription): Record<string, unknown> {
  const steps = GAS_STEPS(c.minGasPrice);
  return {
    $schema: "../chain.schema.json",
    chain_name: registryName(c.chainId),
    status: "live",
    network_type: "devnet",
    pretty_name: `Mira (${c.chainId})`,
    chain_type: "cosmos",
    chain_id: c.chainId,
    bech32_prefix: ACCOUNT_PREFIX,
    daemon_name: "mirad",
    node_home: "$HOME/.mira",
    key_algos: ["secp256k1"],
    slip44: SLIP44,
    fees: {
      fee_tokens: [
        {
          denom: c.denom,
          fixed_min_gas_price: c.minGasPrice,
          low_gas_price: steps.low,
          average_gas_price: steps.average,
          high_gas_price: steps.high,
        },
      ],
    },
    staking: { staking_tokens: [{ denom: c.denom }] },
    codebase: { consensus: { type: "cometbft", version: "v0.38.26" }, ibc_go_version: "", sdk: { type: "cosmos", version: "" } },
    apis: {
      rpc: [{ address: c.rpc, provider: "localnet" }],
      rest: [{ address: c.rest, provider: "localnet" }],
      grpc: [{ address: c.grpc, provider: "localnet" }],
    },
    explorers: [],
  };
}

/** assetlist.json (chain registry schema): the native token with its denom units. */
export function assetListJson(c: ChainDescription): Record<string, unknown> {
  return {
    $schema: "../assetlist.schema.json",
    chain_name: registryName(c.chainId),
    assets: [
      {
        description: "The Mira chain's staking and fee token",
        denom_units: [
          { denom: c.denom, exponent: 0 },
          { denom: c.display, exponent: c.decimals },
        ],
        type_asset: "sdk.coin",
        base: c.denom,
        name: "Mira",
        display: c.display,
        symbol: c.symbol,
      },
    ],
  };
}

/** Keplr's ChainInfo, for window.keplr.experimentalSuggestChain(info). */
export function keplrChainInfo(c: ChainDescription): Record<string, unknown> {
  const currency = { coinDenom: c.symbol, coinMinimalDenom: c.denom, coinDecimals: c.decimals };
  return {
    chainId: c.chainId,
    chainName: `Mira (${c.chainId})`,
    rpc: c.rpc,
    rest: c.rest,
    bip44: { coinType: SLIP44 },
    bech32Config: {
      bech32PrefixAccAddr: ACCOUNT_PREFIX,
      bech32PrefixAccPub: `${ACCOUNT_PREFIX}pub`,
      bech32PrefixValAddr: `${ACCOUNT_PREFIX}valoper`,
      bech32PrefixValPub: `${ACCOUNT_PREFIX}valoperpub`,
      bech32PrefixConsAddr: `${ACCOUNT_PREFIX}valcons`,
      bech32PrefixConsPub: `${ACCOUNT_PREFIX}valconspub`,
    },
    currencies: [currency],
    feeCurrencies: [{ ...currency, gasPriceStep: GAS_STEPS(c.minGasPrice) }],
    stakeCurrency: currency,
    // Mira's transfer module is ICS-20 as ibc-go's, with the same queries and messages.
    features: ["ibc-transfer", "ibc-go"],
  };
}

/** The chain registry's chain_name: lowercase letters and digits only. */
function registryName(chainId: string): string {
  return chainId.toLowerCase().replace(/[^a-z0-9]/g, "");
}
