import Link from "next/link";
import { getFormatter, getLocale, getTranslations } from "next-intl/server";
import { methodLabeler } from "@/lib/i18n/method-label";
import { BarChart, niceTop } from "@/components/dashboard/bar-chart";
import { Money } from "@/components/money";
import { Card } from "@/components/ui/card";
import { getDb } from "@/db";
import { requireMerchant } from "@/lib/auth/guard";
import { dailyVolume, overviewStats, parsePeriod, PERIODS, settlementsByDate, successByRoute } from "@/lib/dashboard/overview";
import { roundApproximate } from "@/lib/dashboard/time-to-pay";
import { formatMoney, type Locale } from "@/lib/money";
import { countOpenExceptions } from "@/lib/payments/exceptions";
import { getProvider } from "@/lib/payments/registry";
import { countOrders, recentOrders } from "@/lib/orders/queries";
import { getPaidChecklist } from "@/lib/stores/get-paid";
import { failingEndpoints } from "@/lib/webhooks/endpoints";
import { can } from "@/lib/auth/permissions";
import { localDay } from "@/lib/time/local-day";
import { calendarDay, calendarDayMonth, storeClock } from "@/lib/time/store-clock";
import { GetPaidChecklist } from "./_components/get-paid";

export const metadata = { title: "Dashboard" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function DashboardPage({ searchParams }: Props) {
  const ctx = await requireMerchant("view");
  const period = parsePeriod((await searchParams).period);
  const db = await getDb();
  const today = localDay(new Date(), ctx.merchant.timeZone);
  const [count, latest, stats, daily, upcoming, routes, openExceptions, getPaid, t, ts, te, locale, format, failingHooks, tw] = await Promise.all([
    countOrders(db, ctx.merchant.id),
    recentOrders(db, ctx.merchant.id, 10),
    overviewStats(db, ctx.merchant, period),
    dailyVolume(db, ctx.merchant, period),
    settlementsByDate(db, ctx.merchant.id, { from: today }, 8),
    successByRoute(db, ctx.merchant, period),
    countOpenExceptions(db, ctx.merchant.id),
    getPaidChecklist(db, ctx.merchant),
    getTranslations("dashboard"),
    getTranslations("orderStatus"),
    getTranslations("exceptions"),
    getLocale(),
    getFormatter(),
    failingEndpoints(db, ctx.merchant.id),
    getTranslations("webhooks"),
  ]);
  const methodLabel = await methodLabeler();
  // The median is interpolated from a histogram (lib/dashboard/time-to-pay.ts): shown as "≈", to two significant figures.
  const median = (seconds: number | null) => {
    if (seconds === null) return null;
    const shown = roundApproximate(seconds);
    return (
      <span className="ml-2 text-xs text-stone-500" title={t("medianConfirmation")} data-testid="route-median" data-seconds={seconds}>
        {t("approxDuration", { minutes: Math.floor(shown / 60), seconds: shown % 60 })}
      </span>
    );
  };
  const currency = ctx.merchant.currency;
  const money = (minor: number) => formatMoney(minor, currency, locale as Locale);
  const periodLabel = t(`period.${period}`);
  const best = daily.reduce((a, b) => (b.volumeMinor > a.volumeMinor ? b : a), daily[0]!);
  const total = daily.reduce((sum, d) => sum + d.volumeMinor, 0);
  const top = niceTop(best.volumeMinor);
  const figures = [
    { key: "volume", value: <Money amount={stats.volumeMinor} currency={currency} locale={locale} /> },
    { key: "countInPeriod", value: stats.orderCount },
    { key: "successRate", value: stats.successRate === null ? t("none") : format.number(stats.successRate, { style: "percent", maximumFractionDigits: 1 }) },
    { key: "fees", value: <Money amount={stats.feesMinor} currency={currency} locale={locale} /> },
    { key: "net", value: <Money amount={stats.netMinor} currency={currency} locale={locale} /> },
  ] as const;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold" data-testid="dashboard-merchant">
            {ctx.merchant.name}
          </h1>
          <p className="text-sm text-stone-600">{t("signedInAs", { name: ctx.user.name, role: t(`role.${ctx.role}`) })}</p>
        </div>
        <nav aria-label={t("period.label")} className="flex gap-1" data-testid="period-picker">
          {(Object.keys(PERIODS) as (keyof typeof PERIODS)[]).map((p) => (
            <Link
              key={p}
              href={`/dashboard?period=${p}`}
              aria-current={p === period ? "page" : undefined}
              className={`inline-flex min-h-11 items-center rounded-lg px-3 text-sm font-medium ${p === period ? "bg-brand-700 text-white" : "border border-stone-300 bg-white"}`}
              data-testid={`period-${p}`}
            >
              {t(`period.${p}`)}
            </Link>
          ))}
        </nav>
      </div>
      <GetPaidChecklist steps={getPaid} />
      {failingHooks.length > 0 && can(ctx, "developers") && (
        <Link href="/dashboard/settings/developers" className="flex min-h-11 flex-wrap items-center justify-between gap-2 rounded-xl border border-red-300 bg-red-50 p-3 text-sm font-semibold text-red-900" data-testid="webhooks-disabled-notice">
          <span>{tw("overviewNotice", { count: failingHooks.length })}</span>
          <span className="underline">{tw("overviewLink")}</span>
        </Link>
      )}
      <Link
        href="/dashboard/exceptions"
        className={`flex min-h-11 flex-wrap items-center justify-between gap-2 rounded-xl border p-3 text-sm ${openExceptions > 0 ? "border-amber-300 bg-amber-50 font-semibold text-amber-900" : "border-stone-200 bg-white text-stone-700"}`}
        data-testid="open-exceptions"
        data-count={openExceptions}
      >
        <span>{te("overviewCount", { count: openExceptions })}</span>
        <span className="text-brand-700 underline">{te("overviewLink")}</span>
      </Link>
      {/* Every figure of this grid is the period's; the all-time count further down says so too (issue 16: "Commandes 97" beside "221 commandes"). */}
      <section className="space-y-2" aria-labelledby="stats-period">
        <h2 id="stats-period" className="text-sm font-normal text-stone-600" data-testid="stats-period">
          {t("statsPeriod", { period: periodLabel, since: calendarDay(locale, stats.since.toISOString().slice(0, 10)) })}
        </h2>
        <div className="grid grid-cols-2 gap-3 md:grid-cols-5">
          {figures.map((f) => (
            // Five figures on a two-column phone grid: the volume takes a full row so none is left cramped or alone.
            <Card key={f.key} className={`min-w-0 !p-3 ${f.key === "volume" ? "col-span-2 md:col-span-1" : ""}`}>
              <p className="text-xs text-stone-600">{t(f.key)}</p>
              <p className="break-words text-base font-bold tabular-nums sm:text-lg" data-testid={`stat-${f.key === "countInPeriod" ? "count" : f.key}`}>
                {f.value}
              </p>
            </Card>
          ))}
        </div>
      </section>
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t("dailyVolume")}</h2>
        <BarChart
          labels={{
            chart: t("dailyVolume"),
            summary: total > 0 ? t("chart.summary", { period: periodLabel, total: money(total), best: money(best.volumeMinor), day: calendarDay(locale, best.day) }) : t("chart.empty", { period: periodLabel }),
            table: t("chart.table"),
            day: t("chart.day"),
            value: t("chart.value"),
          }}
          scale={{ top, ticks: [0, Math.round(top / 2), top].map(money) }}
          data={daily.map((d) => ({ key: d.day, value: d.volumeMinor, day: calendarDay(locale, d.day), dayShort: calendarDayMonth(locale, d.day), valueText: money(d.volumeMinor) }))}
        />
      </Card>
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t("byRoute")}</h2>
        <ul className="space-y-2 text-sm" data-testid="success-by-route">
          {routes.map((r) => (
            <li key={`${r.provider}-${r.method}`} data-testid="route-row" data-provider={r.provider} data-method={r.method}>
              <div className="flex flex-wrap justify-between gap-2">
                <span>
                  {getProvider(r.provider).displayName} · {methodLabel(r.method)}
                  <span className="ml-1 text-xs text-stone-500">{t("attempts", { count: r.decided })}</span>
                </span>
                <span className="tabular-nums">
                  {r.successRate === null ? t("none") : format.number(r.successRate, { style: "percent", maximumFractionDigits: 0 })}
                  {median(r.medianSeconds)}
                </span>
              </div>
              <div className="mt-1 h-2 rounded bg-stone-100">
                <div className="h-2 rounded bg-green-600" style={{ width: `${Math.round((r.successRate ?? 0) * 100)}%` }} />
              </div>
            </li>
          ))}
        </ul>
        <p className="mt-2 text-xs text-stone-500">{t("medianLegend")}</p>
      </Card>
      <Card>
        <h2 className="mb-3 text-lg font-semibold">{t("upcomingSettlements")}</h2>
        {upcoming.length === 0 ? (
          <p className="text-sm text-stone-600">{t("noUpcoming")}</p>
        ) : (
          <ul className="divide-y divide-stone-100 text-sm" data-testid="upcoming-settlements">
            {upcoming.map((s) => (
              <li key={`${s.date}-${s.provider}`} className="flex justify-between gap-2 py-2" data-testid="upcoming-settlement">
                <span>
                  {t("settlementOn", { date: calendarDay(locale, s.date!), provider: getProvider(s.provider).displayName })}
                  <span className="block text-xs text-stone-500">{s.reported ? t("reported") : t("estimated")}</span>
                </span>
                <Money amount={s.netMinor} currency={s.currency} locale={locale} />
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card>
        <p className="text-sm text-stone-600">{t("allOrders")}</p>
        <p className="text-3xl font-bold tabular-nums" data-testid="order-count" data-count={count}>
          {t("orderCount", { count })}
        </p>
      </Card>
      <section>
        <div className="mb-3 flex items-baseline justify-between">
          <h2 className="text-lg font-semibold">{t("recentOrders")}</h2>
          <Link href="/dashboard/orders" className="text-sm text-brand-700 underline">
            {t("viewAllOrders")}
          </Link>
        </div>
        <ul className="divide-y divide-stone-200 rounded-xl border border-stone-200 bg-white">
          {latest.map((o) => (
            <li key={o.id}>
              <Link href={`/dashboard/orders/${o.id}`} className="flex items-center justify-between gap-3 px-4 py-3 hover:bg-stone-50" data-testid="order-row">
                <span>
                  <span className="block font-mono text-sm">{o.reference}</span>
                  <span className="block text-xs text-stone-600">
                    {o.customerName} · {storeClock(locale, ctx.merchant.timeZone).dateTime(o.createdAt)}
                  </span>
                </span>
                <span className="text-right">
                  <Money amount={o.amountMinor} currency={o.currency} locale={locale} />
                  <span className="block text-xs text-stone-600">{ts(o.status)}</span>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
