import { CURRENCIES, isCurrency } from "@/lib/money";
import type { AmountCheck } from "@/lib/payments/types";

function decimalsOf(currency: string): number {
  return isCurrency(currency) ? CURRENCIES[currency].decimals : 0;
}

/** OM amounts are integers in whole currency units (§2.3): no cents, even where a currency has them. */
export function checkOrangeAmount(amountMinor: number, currency: string): AmountCheck {
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) {
    return { ok: false, code: "amount_invalid", message: { fr: "Le montant doit être un nombre entier positif.", en: "The amount must be a positive whole number." } };
  }
  if (amountMinor % 10 ** decimalsOf(currency) !== 0) {
    return {
      ok: false,
      code: "amount_not_whole",
      message: { fr: "Orange Money n'accepte que des montants entiers, sans centimes.", en: "Orange Money only accepts whole amounts, without cents." },
    };
  }
  return { ok: true };
}

/** Minor units → the whole units OM expects (XOF 5000 → 5000; KES 125000 cents → 1250). */
export function toWholeUnits(amountMinor: number, currency: string): number {
  return amountMinor / 10 ** decimalsOf(currency);
}

/** The whole units OM was asked about → minor units (an unreadable amount stays unreadable). */
export function toMinorUnits(wholeUnits: number, currency: string): number {
  return wholeUnits * 10 ** decimalsOf(currency);
}
