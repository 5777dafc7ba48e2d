import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";

/** Parses what a shopper typed, in the context of their country, into E.164; null when invalid. */
export function toE164(input: string, country: string): string | null {
  const parsed = parsePhoneNumberFromString(input.trim(), country.toUpperCase() as CountryCode);
  return parsed && parsed.isValid() ? parsed.number : null;
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
