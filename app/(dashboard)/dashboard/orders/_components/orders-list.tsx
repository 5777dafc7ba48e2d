import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { SettlementDate, SourcedMoney } from "@/components/dashboard/money-facts";
import { StatusBadge } from "@/components/dashboard/status-badge";
import { Money } from "@/components/money";
import type { OrderRow } from "@/lib/dashboard/orders";
import { methodLabeler } from "@/lib/i18n/method-label";
import { formatInternational } from "@/lib/phone";
import { getProvider } from "@/lib/payments/registry";
import { storeClock } from "@/lib/time/store-clock";

async function loadLabels(timeZone: string) {
  const [t, ts, to, locale, method] = await Promise.all([getTranslations("dashboard"), getTranslations("paymentStatus"), getTranslations("orderStatus"), getLocale(), methodLabeler()]);
  const clock = storeClock(locale, timeZone);
  const sources = { reported: t("reported"), estimated: t("estimated"), none: t("none") };
  const status = (row: OrderRow) => (row.payment ? { status: row.payment.status, label: ts(row.payment.status) } : { status: row.orderStatus, label: to(row.orderStatus) });
  return { t, locale, sources, status, when: clock.dateTime, day: clock.date, time: clock.time, method };
}

const provider = (row: OrderRow) => (row.payment ? getProvider(row.payment.provider).displayName : "—");

/** Desktop: every column side by side. */
export async function OrdersTable({ rows, timeZone }: { rows: OrderRow[]; timeZone: string }) {
  const { t, locale, sources, status, day, time, method } = await loadLabels(timeZone);
  const head = ["reference", "customer", "amount", "fee", "net", "providerMethod", "status", "created", "settlement"] as const;
  return (
    <div className="hidden overflow-x-auto rounded-xl border border-stone-200 bg-white lg:block">
      <table className="w-full text-left text-sm" data-testid="orders-table">
        <thead className="bg-stone-50 text-xs uppercase text-stone-600">
          <tr>
            {head.map((h) => (
              <th key={h} scope="col" className="px-3 py-2 font-semibold">
                {t(h)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-stone-100">
          {rows.map((row) => (
            <tr key={row.id} data-testid="order-row" data-reference={row.reference} className="align-top hover:bg-stone-50">
              <td className="px-3 py-2 font-mono">
                <Link href={`/dashboard/orders/${row.id}`} className="text-brand-700 underline" data-testid="order-link">
                  {row.reference}
                </Link>
              </td>
              <td className="px-3 py-2">
                {row.customerName}
                <span className="block whitespace-nowrap text-xs text-stone-500">{row.customerPhone && formatInternational(row.customerPhone)}</span>
              </td>
              <td className="px-3 py-2" data-testid="order-amount">
                <Money amount={row.amountMinor} currency={row.currency} locale={locale} />
              </td>
              <td className="px-3 py-2">
                <SourcedMoney amount={row.feeMinor} currency={row.currency} locale={locale} reported={row.feeReported} labels={sources} testId="order-fee" />
              </td>
              <td className="px-3 py-2">
                <SourcedMoney amount={row.netMinor} currency={row.currency} locale={locale} reported={row.feeReported} labels={sources} testId="order-net" />
              </td>
              <td className="px-3 py-2">
                <span className="block" data-testid="order-provider">
                  {provider(row)}
                </span>
                <span className="block text-xs text-stone-500" data-testid="order-method">
                  {method(row.payment?.method)}
                </span>
              </td>
              <td className="px-3 py-2">
                <StatusBadge {...status(row)} />
              </td>
              {/* Date over time: one long "22 nov. 2026, 14:05" line pushed the table past its frame. */}
              <td className="px-3 py-2">
                <time dateTime={row.createdAt.toISOString()} className="block whitespace-nowrap">
                  {day(row.createdAt)}
                </time>
                <span className="block text-xs text-stone-500" data-testid="order-time">
                  {time(row.createdAt)}
                </span>
              </td>
              <td className="px-3 py-2">
                <SettlementDate date={row.payment?.settlementDate ?? null} reported={row.payment?.settlementReported ?? false} labels={sources} locale={locale} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Phones (360 px): one card per order, the figures a merchant checks first. */
export async function OrdersCards({ rows, timeZone }: { rows: OrderRow[]; timeZone: string }) {
  const { t, locale, sources, status, when, method } = await loadLabels(timeZone);
  return (
    <ul className="space-y-2 lg:hidden" data-testid="orders-cards">
      {rows.map((row) => (
        <li key={row.id} data-testid="order-card" data-reference={row.reference}>
          <Link href={`/dashboard/orders/${row.id}`} className="block rounded-xl border border-stone-200 bg-white p-3">
            <span className="flex items-center justify-between gap-2">
              <span className="font-mono text-sm font-semibold">{row.reference}</span>
              <StatusBadge {...status(row)} />
            </span>
            <span className="mt-1 flex items-center justify-between gap-2 text-sm">
              <span className="truncate">{row.customerName}</span>
              <Money amount={row.amountMinor} currency={row.currency} locale={locale} />
            </span>
            <span className="mt-1 grid grid-cols-3 gap-2 text-xs text-stone-600">
              <span>
                {t("fee")} <SourcedMoney amount={row.feeMinor} currency={row.currency} locale={locale} reported={row.feeReported} labels={sources} testId="card-fee" />
              </span>
              <span>
                {t("net")} <SourcedMoney amount={row.netMinor} currency={row.currency} locale={locale} reported={row.feeReported} labels={sources} testId="card-net" />
              </span>
              <span>
                {t("settlement")} <SettlementDate date={row.payment?.settlementDate ?? null} reported={row.payment?.settlementReported ?? false} labels={sources} locale={locale} />
              </span>
            </span>
            <span className="mt-1 block text-xs text-stone-500">
              {provider(row)} · {method(row.payment?.method)} · {when(row.createdAt)}
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
