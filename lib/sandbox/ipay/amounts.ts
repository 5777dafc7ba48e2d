/** iPay's wire amounts are shillings (or dollars) with at most two decimals: "1250.00", "10". */
const WIRE_AMOUNT = /^\d{1,13}(\.\d{1,2})?$/;

export function parseWireAmount(text: string): number | null {
  if (!WIRE_AMOUNT.test(text)) return null;
  const [whole = "0", fraction = ""] = text.split(".");
  const minor = Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
  return Number.isSafeInteger(minor) && minor > 0 ? minor : null;
}

export function toWireAmount(minor: number): string {
  return `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, "0")}`;
}
