import { localDay } from "@/lib/time/local-day";

/**
 * Estimated settlement date: T+N business days after payment (weekends skipped; providers
 * settle on banking days). Dates are calendar dates, formatted YYYY-MM-DD: `from`'s UTC date
 * is the day counted from (estimateSettlementDate hands it the store-local day).
 */
export function addBusinessDays(from: Date, days: number): string {
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  let left = days;
  while (left > 0 || isWeekend(d)) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (!isWeekend(d)) left--;
  }
  return d.toISOString().slice(0, 10);
}

function isWeekend(d: Date): boolean {
  const day = d.getUTCDay();
  return day === 0 || day === 6;
}

/**
 * Counted from the day of payment on the store's wall clock: a Nairobi payment at 01:30 on a
 * Saturday (22:30 UTC on Friday) was paid on Saturday, and its T+0 is Monday, not Friday.
 */
export function estimateSettlementDate(paidAt: Date, delayDays: number, timeZone: string): string {
  return addBusinessDays(new Date(`${localDay(paidAt, timeZone)}T00:00:00Z`), delayDays);
}
