import { CURRENCIES, isCurrency } from "@/lib/money";
import type { AmountCheck } from "@/lib/payments/types";

export const CINETPAY_CURRENCIES = ["XOF", "XAF", "CDF", "GNF", "USD"] as const;
export type CinetpayCurrency = (typeof CINETPAY_CURRENCIES)[number];

export function isCinetpayCurrency(currency: string): currency is CinetpayCurrency {
  return (CINETPAY_CURRENCIES as readonly string[]).includes(currency);
}

function decimalsOf(currency: string): number {
  return isCurrency(currency) ? CURRENCIES[currency].decimals : 0;
}

/**
 * CinetPay's own rules, checked before any call so the shopper gets a clear message instead of
 * a 608: the wire amount is in major units and must be a whole number that is a multiple of 5
 * (USD excepted: cents allowed), at least 100 for the CFA francs.
 */
export function checkCinetpayAmount(amountMinor: number, currency: string): AmountCheck {
  if (!isCinetpayCurrency(currency)) {
    return { ok: false, code: "unsupported_currency", message: { fr: `CinetPay n'accepte pas la devise ${currency}.`, en: `CinetPay does not accept ${currency}.` } };
  }
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) {
    return { ok: false, code: "invalid_amount", message: { fr: "Le montant doit être un entier positif.", en: "The amount must be a positive whole number." } };
  }
  if (currency === "USD") return { ok: true };
  const unit = 10 ** decimalsOf(currency);
  if (amountMinor % unit !== 0) {
    return { ok: false, code: "not_whole_units", message: { fr: `CinetPay n'accepte pas de centimes en ${currency}.`, en: `CinetPay does not accept fractional ${currency} amounts.` } };
  }
  const wire = amountMinor / unit;
  if (wire % 5 !== 0) {
    return { ok: false, code: "not_multiple_of_5", message: { fr: "Le montant doit être un multiple de 5.", en: "The amount must be a multiple of 5." } };
  }
  if ((currency === "XOF" || currency === "XAF") && wire < 100) {
    return { ok: false, code: "amount_too_low", message: { fr: "Le montant minimum est de 100 F CFA.", en: "The minimum amount is 100 CFA francs." } };
  }
  return { ok: true };
}

/** Our minor units → CinetPay's major-unit number (USD may carry cents: 1050 → 10.5). */
export function toWireAmount(amountMinor: number, currency: string): number {
  return amountMinor / 10 ** decimalsOf(currency);
}

/** CinetPay's amount ("100", "10.50", 100) → our minor units, without going through a float; null if unreadable. */
export function fromWireAmount(value: string | number, currency: string): number | null {
  const text = String(value).trim();
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return null;
  const decimals = decimalsOf(currency);
  const fraction = match[2] ?? "";
  if (fraction.slice(decimals).replace(/0/g, "") !== "") return null;
  const minor = BigInt(match[1]!) * 10n ** BigInt(decimals) + BigInt(fraction.slice(0, decimals).padEnd(decimals, "0") || "0");
  return minor > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(minor);
}
