/**
 * Money is an integer count of the currency's minor unit, never a float. XOF, XAF and GNF have no
 * minor unit (100 XOF is stored as 100); KES, CDF and USD have cents (KES 1,250.00 is 125000).
 */
export const CURRENCIES = {
  XOF: { decimals: 0 },
  XAF: { decimals: 0 },
  GNF: { decimals: 0 },
  CDF: { decimals: 2 },
  KES: { decimals: 2 },
  USD: { decimals: 2 },
} as const;

export type Currency = keyof typeof CURRENCIES;
export type Locale = "fr" | "en";

export function isCurrency(value: string): value is Currency {
  return Object.hasOwn(CURRENCIES, value);
}

export function assertMinor(amount: number): number {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`amount must be an integer in minor units, got ${amount}`);
  return amount;
}

function groupDigits(integer: bigint, separator: string): string {
  return integer.toString().replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

const NBSP = "\u00a0";
const NNBSP = "\u202f"; // French thousands separator, as Intl and typographers write it

/** Formats like people write it: "5 000 F CFA", "KES 1,250.00", "1 250,00 KES". */
export function formatMoney(amountMinor: number, currency: string, locale: Locale = "fr"): string {
  assertMinor(amountMinor);
  const decimals = isCurrency(currency) ? CURRENCIES[currency].decimals : 2;
  const negative = amountMinor < 0;
  const abs = BigInt(Math.abs(amountMinor));
  const unit = 10n ** BigInt(decimals);
  const whole = abs / unit;
  const fraction = (abs % unit).toString().padStart(decimals, "0");
  const sign = negative ? "-" : "";

  if (currency === "XOF" || currency === "XAF") {
    // West and Central Africans write CFA amounts with spaces in both languages.
    return `${sign}${groupDigits(whole, NNBSP)}${NBSP}F${NBSP}CFA`;
  }
  if (locale === "fr") {
    const number = groupDigits(whole, NNBSP) + (decimals ? `,${fraction}` : "");
    return `${sign}${number}${NBSP}${currency}`;
  }
  const number = groupDigits(whole, ",") + (decimals ? `.${fraction}` : "");
  return `${sign}${currency}${NBSP}${number}`;
}

/**
 * Parses an amount typed by a person ("1 250,50", "1,250.50", "5000") into minor units without
 * ever going through a float. Returns null when the text is not a valid amount for the currency.
 */
export function parseMoney(input: string, currency: Currency): number | null {
  const decimals = CURRENCIES[currency].decimals;
  let text = input.trim().replace(/[\s\u00a0\u202f]/g, "");
  if (!/^\d[\d.,]*$/.test(text)) return null;
  const lastSep = Math.max(text.lastIndexOf(","), text.lastIndexOf("."));
  let fraction = "";
  if (lastSep >= 0 && text.length - lastSep - 1 <= 2 && text.length - lastSep - 1 > 0) {
    fraction = text.slice(lastSep + 1);
    text = text.slice(0, lastSep);
  }
  const whole = text.replace(/[.,]/g, "");
  if (!/^\d+$/.test(whole) || fraction.length > decimals) return null;
  const minor = BigInt(whole) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, "0") || "0");
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return Number(minor);
}
