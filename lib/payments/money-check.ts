import type { PaymentRow } from "./handle";
import type { StatusResult } from "./types";

export type MoneyFlag = "currency_mismatch" | "amount_mismatch" | "underpaid";

/**
 * A "paid" answer must state what was collected, in our currency, to the minor unit: an answer
 * that omits the amount or currency, or carries one we cannot read as a whole number of minor
 * units, disagrees with us. Providers that report only what was received (iPay) are compared on
 * that; more than the price is paid and flagged overpaid by the caller.
 */
export function moneyDisagreement(row: Pick<PaymentRow, "amountMinor" | "currency">, result: StatusResult): MoneyFlag | null {
  if (typeof result.currency !== "string" || result.currency.trim().toUpperCase() !== row.currency) return "currency_mismatch";
  const { amountMinor: amount, paidAmountMinor: received } = result;
  if (amount === undefined && received === undefined) return "amount_mismatch";
  if (amount !== undefined && (!Number.isSafeInteger(amount) || amount !== row.amountMinor)) return "amount_mismatch";
  if (received !== undefined && !Number.isSafeInteger(received)) return "amount_mismatch";
  if (received !== undefined && received < row.amountMinor) return "underpaid";
  return null;
}

/** Whether an answer states the money at all: a currency, and an amount or what was received. */
export function moneyStated(result: StatusResult): boolean {
  return typeof result.currency === "string" && (result.amountMinor !== undefined || result.paidAmountMinor !== undefined);
}

/**
 * A provider figure we keep but do not decide on (a fee): a fractional one (KKiaPay has sent
 * "fees": 28.5) is rounded half up to the minor unit rather than failing the transition, and the
 * caller records that it did so; anything else unreadable is dropped.
 */
export function storableMinor(value: number | undefined | null): { value: number | undefined; adjusted: boolean } {
  if (value === undefined || value === null) return { value: undefined, adjusted: false };
  if (!Number.isFinite(value) || value < 0 || value > Number.MAX_SAFE_INTEGER) return { value: undefined, adjusted: true };
  if (Number.isInteger(value)) return { value, adjusted: false };
  return { value: Math.floor(value + 0.5), adjusted: true };
}
