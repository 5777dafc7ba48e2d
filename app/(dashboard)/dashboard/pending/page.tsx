import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { methodLabeler } from "@/lib/i18n/method-label";
import { StatusBadge } from "@/components/dashboard/status-badge";
import { Money } from "@/components/money";
import { getDb } from "@/db";
import { requireMerchant } from "@/lib/auth/guard";
import { buttonClass } from "@/components/ui/button";
import { encodeTimeCursor, readTimeCursor } from "@/lib/dashboard/keyset";
import { listPending } from "@/lib/dashboard/queues";
import { getProvider } from "@/lib/payments/registry";
import { ageLabel } from "../_components/age";
import { RecheckForm } from "../_components/recheck-form";
import { storeClock } from "@/lib/time/store-clock";
import { formatMoney, type Locale } from "@/lib/money";
import { formatInternational } from "@/lib/phone";
import { whatsappChatUrl } from "@/lib/share";

export const metadata = { title: "Pending" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function PendingPage({ searchParams }: Props) {
  const ctx = await requireMerchant("view");
  const cursor = readTimeCursor((await searchParams).cursor);
  const [{ rows, next }, t, td, ts, tor, locale] = await Promise.all([
    listPending(await getDb(), ctx.merchant.id, cursor),
    getTranslations("pending"),
    getTranslations("dashboard"),
    getTranslations("paymentStatus"),
    getTranslations("orderDetail"),
    getLocale(),
  ]);
  const methodLabel = await methodLabeler();
  // The message to the customer is in the store's language, whatever the dashboard's.
  const storeLocale = (ctx.merchant.defaultLocale === "en" ? "en" : "fr") satisfies Locale;
  const tw = await getTranslations({ locale: storeLocale, namespace: "pending" });
  const message = (p: (typeof rows)[number]) =>
    tw("whatsappText", { name: p.customerName, store: ctx.merchant.name, reference: p.orderReference, amount: formatMoney(p.amountMinor, p.currency, storeLocale) });
  const now = new Date();
  const clock = storeClock(locale, ctx.merchant.timeZone);
  const when = (d: Date | null) => (d ? clock.dateTime(d) : "—");
  const labels = { recheck: tor("recheck"), recheckConfirm: tor("recheckConfirm"), confirm: tor("confirm"), cancel: tor("cancel") };
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      {rows.length === 0 && <p className="text-stone-600">{t("empty")}</p>}
      <ul className="space-y-3" data-testid="pending-list">
        {rows.map((p) => (
          <li key={p.id} className="rounded-xl border border-stone-200 bg-white p-4" data-testid="pending-row" data-payment-id={p.id}>
            <div className="flex flex-wrap items-center justify-between gap-2">
              <Link href={`/dashboard/orders/${p.orderId}`} className="font-mono font-semibold text-brand-700 underline">
                {p.orderReference}
              </Link>
              <StatusBadge status={p.status} label={ts(p.status)} />
            </div>
            <div className="mt-2 flex flex-wrap items-center justify-between gap-2" data-testid="pending-customer">
              <p className="min-w-0">
                <span className="block font-semibold">{p.customerName}</span>
                {p.customerPhone && <span className="block text-sm tabular-nums text-stone-700">{formatInternational(p.customerPhone)}</span>}
              </p>
              {p.customerPhone && (
                <span className="flex gap-2">
                  <a href={`tel:${p.customerPhone}`} className={buttonClass("secondary")} aria-label={t("callLabel", { name: p.customerName })} data-testid="pending-call">
                    {t("call")}
                  </a>
                  <a href={whatsappChatUrl(p.customerPhone, message(p))} target="_blank" rel="noopener noreferrer" className={buttonClass("secondary")} aria-label={t("whatsappLabel", { name: p.customerName })} data-testid="pending-whatsapp">
                    {t("whatsapp")}
                  </a>
                </span>
              )}
            </div>
            <dl className="mt-2 grid grid-cols-2 gap-2 text-sm sm:grid-cols-4">
              <dt className="text-stone-600">{td("amount")}</dt>
              <dd>
                <Money amount={p.amountMinor} currency={p.currency} locale={locale} />
              </dd>
              <dt className="text-stone-600">{td("provider")}</dt>
              <dd>
                {getProvider(p.provider).displayName} · {methodLabel(p.method)}
              </dd>
              <dt className="text-stone-600">{t("age")}</dt>
              <dd data-testid="pending-age">{ageLabel(p.createdAt, now, (k, v) => t(k, v))}</dd>
              <dt className="text-stone-600">{t("checks")}</dt>
              <dd>{p.checkAttempts}</dd>
              <dt className="text-stone-600">{t("lastCheck")}</dt>
              <dd data-testid="pending-last-check">{when(p.lastCheckedAt)}</dd>
              <dt className="text-stone-600">{t("nextCheck")}</dt>
              <dd data-testid="pending-next-check">{when(p.nextCheckAt)}</dd>
            </dl>
            <div className="mt-3">
              <RecheckForm paymentId={p.id} labels={labels} />
            </div>
          </li>
        ))}
      </ul>
      {next && (
        <Link href={`/dashboard/pending?cursor=${encodeTimeCursor(next)}`} className={buttonClass("secondary")} data-testid="pending-next">
          {t("next")}
        </Link>
      )}
    </div>
  );
}
