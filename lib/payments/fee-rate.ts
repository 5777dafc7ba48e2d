/**
 * A contract's rate as merchants read it on a rate card — a percentage, "3,5 %" in French,
 * "3.5%" in English — and the whole basis points it is stored in (fees.ts). Read from the text's
 * digits, never through a float: 0.29 × 10000 is 2899.9999999999995.
 */
export type FeeRateError = "fee_rate_invalid" | "fee_rate_precision" | "fee_rate_range";

const RATE = /^(-)?(\d*)(?:[.,](\d*))?$/;

/** A typed percentage as basis points (blank: 0 %), or why it is not one. */
export function parseFeeRate(input: string): { bps: number } | { error: FeeRateError } {
  const text = input.replace(/[\s\u00a0\u202f]*%?[\s\u00a0\u202f]*$/, "").trim();
  if (text === "") return input.includes("%") ? { error: "fee_rate_invalid" } : { bps: 0 };
  const match = RATE.exec(text);
  if (!match) return { error: "fee_rate_invalid" };
  const [, minus, whole = "", fraction] = match;
  if (whole === "" && !fraction) return { error: "fee_rate_invalid" };
  if (fraction !== undefined && fraction === "") return { error: "fee_rate_invalid" };
  if (minus) return { error: "fee_rate_range" };
  if (fraction && fraction.length > 2) return { error: "fee_rate_precision" };
  const units = whole.replace(/^0+/, "");
  if (units.length > 3) return { error: "fee_rate_range" };
  const bps = Number(units || "0") * 100 + Number((fraction ?? "").padEnd(2, "0"));
  return bps > 10_000 ? { error: "fee_rate_range" } : { bps };
}

/** Stored basis points as the form shows them: the percentage, no trailing zeros, the locale's decimal mark. */
export function feeRateText(bps: number, locale: string): string {
  const fraction = String(bps % 100).padStart(2, "0").replace(/0+$/, "");
  const whole = String(Math.trunc(bps / 100));
  return fraction ? `${whole}${locale.startsWith("fr") ? "," : "."}${fraction}` : whole;
}
