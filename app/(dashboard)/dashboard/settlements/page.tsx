import { getLocale, getTranslations } from "next-intl/server";
import { Money } from "@/components/money";
import { getDb } from "@/db";
import { requireMerchant } from "@/lib/auth/guard";
import { settlementsByDate } from "@/lib/dashboard/overview";
import { getProvider } from "@/lib/payments/registry";
import { addDays, localDay } from "@/lib/time/local-day";
import { calendarDay } from "@/lib/time/store-clock";

export const metadata = { title: "Settlements" };

type Group = Awaited<ReturnType<typeof settlementsByDate>>[number];

async function SettlementTable({ rows, testId }: { rows: Group[]; testId: string }) {
  const [t, td, locale] = await Promise.all([getTranslations("settlements"), getTranslations("dashboard"), getLocale()]);
  if (rows.length === 0) return <p className="text-sm text-stone-600">{t("empty")}</p>;
  return (
    <div className="overflow-x-auto rounded-xl border border-stone-200 bg-white">
      <table className="w-full text-left text-sm" data-testid={testId}>
        <thead className="bg-stone-50 text-xs uppercase text-stone-600">
          <tr>
            <th className="px-3 py-2">{t("date")}</th>
            <th className="px-3 py-2">{td("provider")}</th>
            <th className="px-3 py-2 text-right">{t("payments")}</th>
            <th className="px-3 py-2 text-right">{t("expected")}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-stone-100">
          {rows.map((g) => (
            <tr key={`${g.date}-${g.provider}-${g.currency}`} data-testid="settlement-row" data-date={g.date} data-provider={g.provider} data-source={g.reported ? "reported" : "estimated"}>
              <td className="whitespace-nowrap px-3 py-2 tabular-nums">
                {g.date && calendarDay(locale, g.date)}
                <span className="block text-xs text-stone-500">{g.reported ? td("reported") : td("estimated")}</span>
              </td>
              <td className="px-3 py-2">{getProvider(g.provider).displayName}</td>
              <td className="px-3 py-2 text-right tabular-nums">{g.count}</td>
              <td className="px-3 py-2 text-right">
                <Money amount={g.netMinor} currency={g.currency} locale={locale} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default async function SettlementsPage() {
  const ctx = await requireMerchant("view");
  const db = await getDb();
  const now = new Date();
  // Settlement dates are the store's days (lib/payments/settlement.ts): so is "today".
  const today = localDay(now, ctx.merchant.timeZone);
  const yesterday = addDays(today, -1);
  const since = addDays(today, -60);
  const [upcoming, past, t] = await Promise.all([
    settlementsByDate(db, ctx.merchant.id, { from: today }),
    settlementsByDate(db, ctx.merchant.id, { from: since, to: yesterday }),
    getTranslations("settlements"),
  ]);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="text-sm text-stone-600">{t("note")}</p>
      </div>
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">{t("upcoming")}</h2>
        <SettlementTable rows={upcoming} testId="settlements-upcoming" />
      </section>
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">{t("past")}</h2>
        <SettlementTable rows={[...past].reverse()} testId="settlements-past" />
      </section>
    </div>
  );
}
