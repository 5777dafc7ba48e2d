import { assertMinor } from "@/lib/money";

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
