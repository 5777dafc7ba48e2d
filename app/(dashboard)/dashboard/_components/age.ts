/** "12 min", "3 h", "2 d": how long a payment has been waiting, in the page's words. */
export function ageLabel(from: Date, now: Date, t: (key: "minutes" | "hours" | "days", values: { count: number }) => string): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - from.getTime()) / 60_000));
  if (minutes < 120) return t("minutes", { count: minutes });
  if (minutes < 48 * 60) return t("hours", { count: Math.floor(minutes / 60) });
  return t("days", { count: Math.floor(minutes / 1440) });
}
