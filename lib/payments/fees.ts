import { assertMinor } from "@/lib/money";
import type { ProviderId } from "./types";

export type FeeContract = { feeRateBps: number; feeFixedMinor: number };

/** Estimated fee from the merchant's contract: rate × amount (half-up) + fixed, in minor units. */
export function estimateFee(amountMinor: number, contract: FeeContract): number {
  assertMinor(amountMinor);
  const proportional = (BigInt(amountMinor) * BigInt(contract.feeRateBps) + 5000n) / 10000n;
  return Number(proportional) + contract.feeFixedMinor;
}

/** The fee the provider reported wins over our estimate. */
export function effectiveFee(reported: number | null | undefined, estimated: number | null | undefined): number | null {
  return reported ?? estimated ?? null;
}

export function netAmount(amountMinor: number, fee: number | null): number {
  return amountMinor - (fee ?? 0);
}

/**
 * Where a store's new account starts (the built-in sandbox in one click): typical published
 * rates and payout delays for small merchants, the same the demo store is seeded with, so that
 * fee, net and settlement estimates mean something before the merchant types their own contract
 * in Settings. A provider's reported fee always wins over the estimate.
 */
export const STARTING_CONTRACTS = {
  cinetpay: { feeRateBps: 350, feeFixedMinor: 0, settlementDelayDays: 2 },
  "orange-money": { feeRateBps: 200, feeFixedMinor: 0, settlementDelayDays: 1 },
  kkiapay: { feeRateBps: 190, feeFixedMinor: 0, settlementDelayDays: 2 },
  ipay: { feeRateBps: 350, feeFixedMinor: 0, settlementDelayDays: 1 },
} as const satisfies Record<ProviderId, FeeContract & { settlementDelayDays: number }>;
