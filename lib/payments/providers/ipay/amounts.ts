import { parseMoney } from "@/lib/money";
import type { AmountCheck } from "@/lib/payments/types";

/**
 * iPay takes KES or USD as decimal text ("1250.00"); we hold cents. The minimum is our choice,
 * not iPay's (it documents none): KES 10.00 keeps M-Pesa fees from eating the payment, and
 * USD 1.00 is the smallest card charge worth its fee.
 */
export const MINIMUM_MINOR: Record<string, number> = { KES: 1_000, USD: 100 };

export function toWireAmount(minor: number): string {
  return `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, "0")}`;
}

/**
 * "1250.00", "5", 10 → cents; null for anything else (thousands separators, negatives, 3
 * decimals). The strict shape is iPay's; the decimal arithmetic is lib/money's (KES and USD both
 * have two decimals), never a float.
 */
export function fromWireAmount(value: string | number): number | null {
  const text = typeof value === "number" ? String(value) : value.trim();
  return /^\d{1,13}(?:\.\d{1,2})?$/.test(text) ? parseMoney(text, "KES") : null;
}

export function checkIpayAmount(amountMinor: number, currency: string): AmountCheck {
  const minimum = MINIMUM_MINOR[currency];
  if (minimum === undefined) {
    return { ok: false, code: "unsupported_currency", message: { fr: "iPay n'accepte que les shillings kényans (KES) et les dollars (USD).", en: "iPay only accepts Kenyan shillings (KES) and US dollars (USD)." } };
  }
  if (!Number.isSafeInteger(amountMinor)) {
    return { ok: false, code: "invalid_amount", message: { fr: "Montant invalide.", en: "Invalid amount." } };
  }
  if (amountMinor < minimum) {
    const shown = `${currency} ${toWireAmount(minimum)}`;
    return { ok: false, code: "amount_too_small", message: { fr: `Le montant minimum est de ${shown}.`, en: `The minimum amount is ${shown}.` } };
  }
  return { ok: true };
}
