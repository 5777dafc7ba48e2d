import { Money } from "@/components/money";
import { calendarDay } from "@/lib/time/store-clock";

/** A figure with where it comes from: the provider reported it, or we estimated it from the contract. */
export function SourcedMoney({ amount, currency, locale, reported, labels, testId }: { amount: number | null; currency: string; locale: string; reported: boolean; labels: { reported: string; estimated: string; none: string }; testId: string }) {
  if (amount === null) return <span data-testid={testId}>{labels.none}</span>;
  return (
    <span data-testid={testId} data-source={reported ? "reported" : "estimated"}>
      <Money amount={amount} currency={currency} locale={locale} />
      <span className="block text-xs text-stone-500">{reported ? labels.reported : labels.estimated}</span>
    </span>
  );
}

export function SettlementDate({ date, reported, labels, locale }: { date: string | null; reported: boolean; labels: { reported: string; estimated: string; none: string }; locale: string }) {
  if (!date) return <span data-testid="settlement-date">{labels.none}</span>;
  return (
    <span data-testid="settlement-date" data-date={date} data-source={reported ? "reported" : "estimated"}>
      <span className="whitespace-nowrap tabular-nums">{calendarDay(locale, date)}</span>
      <span className="block text-xs text-stone-500">{reported ? labels.reported : labels.estimated}</span>
    </span>
  );
}
