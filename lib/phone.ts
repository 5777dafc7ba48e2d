import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";

/** Parses what a shopper typed, in the context of their country, into E.164; null when invalid. */
export function toE164(input: string, country: string): string | null {
  const parsed = parsePhoneNumberFromString(input.trim(), country.toUpperCase() as CountryCode);
  return parsed && parsed.isValid() ? parsed.number : null;
}

/**
 * Why a typed number is refused, so the shopper is told what to do: nothing typed, or a Beninese
 * number in the 8-digit plan Benin retired in 2024 (mobile numbers gained a leading "01"; the
 * same digits with 01 in front make a valid number), or anything else invalid. Null when valid.
 */
export type PhoneProblem = "empty" | "benin_add_01" | "invalid";

export function phoneProblem(input: string, country: string): PhoneProblem | null {
  if (!input.trim()) return "empty";
  if (toE164(input, country)) return null;
  if (country.toUpperCase() === "BJ") {
    const digits = input.replace(/\D/g, "").replace(/^(00)?229(?=\d{8}$)/, "");
    if (/^\d{8}$/.test(digits) && toE164(`01${digits}`, "BJ")) return "benin_add_01";
  }
  return "invalid";
}

/** The national significant number: "+2250707070707" → "0707070707" (CI keeps its leading 0). */
export function nationalNumber(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  return parsed ? String(parsed.nationalNumber) : e164.replace(/^\+/, "");
}

/** The country calling code without "+": "+2250707070707" → "225". */
export function callingCode(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  return parsed ? String(parsed.countryCallingCode) : "";
}

/** International digits without "+", as iPay and M-Pesa want them: "+254722000000" → "254722000000". */
export function msisdn(e164: string): string {
  return e164.replace(/^\+/, "");
}

/**
 * A number as the shopper may see it on a page anyone with the link can open: the country code,
 * the first three and last three national digits, enough to spot a typo ("+254 712 ••• 456").
 * Non-breaking spaces: a phone's narrow screen never splits it across lines.
 */
export function maskedForShopper(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  const national = parsed ? String(parsed.nationalNumber) : e164.replace(/\D/g, "");
  const parts = [parsed ? `+${parsed.countryCallingCode}` : "", national.length < 7 ? "" : national.slice(0, 3), "•••", national.slice(-3)];
  return parts.filter(Boolean).join("\u00a0");
}

/** A number as the merchant reads and dials it: "+225 07 07 07 07 07"; unreadable ones as stored. */
export function formatInternational(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}
