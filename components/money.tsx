import { formatMoney, type Locale } from "@/lib/money";

export function Money({ amount, currency, locale }: { amount: number; currency: string; locale: string }) {
  return <span className="whitespace-nowrap tabular-nums">{formatMoney(amount, currency, locale as Locale)}</span>;
}
