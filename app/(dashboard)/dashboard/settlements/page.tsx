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

/**
 * Phones: a card per date and provider, the expected net first and large (a four-column table cut
 * the money off at 360 px). From 768 px, the table.
 */
async function SettlementList({ rows, testId }: { rows: Group[]; testId: string }) {
  const [t, td, locale] = await Promise.all([getTranslations("settlements"), getTranslations("dashboard"), getLocale()]);
  if (rows.length === 0) return <p className="text-sm text-stone-600">{t("empty")}</p>;
  const key = (g: Group) => `${g.date}-${g.provider}-${g.currency}`;
  const source = (g: Group) => (g.reported ? td("reported") : td("estimated"));
  return (
    <>
      <ul className="space-y-2 md:hidden" data-testid={`${testId}-cards`}>
        {rows.map((g) => (
          <li key={key(g)} className="rounded-xl border border-stone-200 bg-white p-3" data-testid="settlement-card" data-date={g.date} data-provider={g.provider} data-source={g.reported ? "reported" : "estimated"}>
            <p className="text-xs text-stone-600">{t("expected")}</p>
            <p className="text-xl font-bold" data-testid="settlement-net">
              <Money amount={g.netMinor} currency={g.currency} locale={locale} />
            </p>
            <p className="mt-1 text-sm">
              {g.date && <span className="font-semibold">{calendarDay(locale, g.date)}</span>} · {getProvider(g.provider).displayName}
            </p>
            <p className="text-xs text-stone-500">
              {t("paymentCount", { count: g.count })} · {t("dateSource", { source: source(g) })}
            </p>
          </li>
        ))}
      </ul>
      <div className="hidden overflow-x-auto rounded-xl border border-stone-200 bg-white md:block">
        <table className="w-full text-left text-sm" data-testid={testId}>
          <thead className="bg-stone-50 text-xs uppercase text-stone-600">
            <tr>
              <th scope="col" className="px-3 py-2">{t("date")}</th>
              <th scope="col" className="px-3 py-2">{td("provider")}</th>
              <th scope="col" className="px-3 py-2 text-right">{t("payments")}</th>
              <th scope="col" className="px-3 py-2 text-right">{t("expected")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-stone-100">
            {rows.map((g) => (
              <tr key={key(g)} data-testid="settlement-row" data-date={g.date} data-provider={g.provider} data-source={g.reported ? "reported" : "estimated"}>
                <td className="whitespace-nowrap px-3 py-2 tabular-nums">
                  {g.date && calendarDay(locale, g.date)}
                  <span className="block text-xs text-stone-500">{source(g)}</span>
                </td>
                <td className="px-3 py-2">{getProvider(g.provider).displayName}</td>
                <td className="px-3 py-2 text-right tabular-nums">{g.count}</td>
                <td className="px-3 py-2 text-right font-semibold">
                  <Money amount={g.netMinor} currency={g.currency} locale={locale} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
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
        <SettlementList rows={upcoming} testId="settlements-upcoming" />
      </section>
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">{t("past")}</h2>
        <SettlementList rows={[...past].reverse()} testId="settlements-past" />
      </section>
    </div>
  );
}
