/**
 * Estimated settlement date: T+N business days after payment (weekends skipped; providers
 * settle on banking days). Dates are calendar dates in UTC, formatted YYYY-MM-DD.
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

export function estimateSettlementDate(paidAt: Date, delayDays: number): string {
  return addBusinessDays(paidAt, delayDays);
}
