import Link from "next/link";
import { notFound } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { methodLabeler } from "@/lib/i18n/method-label";
import { SettlementDate, SourcedMoney } from "@/components/dashboard/money-facts";
import { StatusBadge } from "@/components/dashboard/status-badge";
import { Money } from "@/components/money";
import { Card } from "@/components/ui/card";
import { getDb } from "@/db";
import { requireMerchant } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { majorDecimal } from "@/lib/dashboard/csv";
import { getOrderDetail } from "@/lib/dashboard/order-detail";
import { newId } from "@/lib/ids";
import { knownReason } from "@/lib/outcomes/reasons";
import { formatInternational } from "@/lib/phone";
import { getProvider } from "@/lib/payments/registry";
import type { ProviderId } from "@/lib/payments/types";
import { storeClock } from "@/lib/time/store-clock";
import { RecheckForm } from "../../_components/recheck-form";
import { RefundForm } from "./_components/refund-form";
import { Timeline } from "./_components/timeline";

type Props = { params: Promise<{ id: string }> };

export default async function OrderPage({ params }: Props) {
  const ctx = await requireMerchant("view");
  const { id } = await params;
  // Scoped in SQL: another merchant's order id is indistinguishable from a missing one.
  const detail = await getOrderDetail(await getDb(), ctx.merchant.id, id);
  if (!detail) notFound();
  const { order } = detail;
  const [t, td, ts, to, te, tr, locale] = await Promise.all([
    getTranslations("orderDetail"),
    getTranslations("dashboard"),
    getTranslations("paymentStatus"),
    getTranslations("orderStatus"),
    getTranslations("exceptions"),
    getTranslations("order.reasons"),
    getLocale(),
  ]);
  const methodLabel = await methodLabeler();
  const sources = { reported: td("reported"), estimated: td("estimated"), none: td("none") };
  const mayRefund = can(ctx, "refund");
  // The provider's code with what the shopper was told it means (lib/outcomes), not the code alone.
  const failureReason = (p: { provider: ProviderId; failureCode: string | null }) => (p.failureCode ? knownReason(p.provider, p.failureCode) : undefined);
  const clock = storeClock(locale, ctx.merchant.timeZone);
  const when = (d: Date | null) => (d ? clock.dateTime(d) : "—");
  const timelinePayments = Object.fromEntries(detail.payments.map((p) => [p.id, { reference: p.reference, provider: p.provider, failureCode: p.failureCode }]));
  return (
    <div className="space-y-4">
      <Link href="/dashboard/orders" className="text-sm text-brand-700 underline">
        {td("backToOrders")}
      </Link>
      <Card>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h1 className="font-mono text-xl font-bold" data-testid="order-reference">
            {order.reference}
          </h1>
          <StatusBadge status={order.status} label={to(order.status)} />
        </div>
        <dl className="mt-4 grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
          <dt className="text-stone-600">{td("amount")}</dt>
          <dd data-testid="order-amount">
            <Money amount={order.amountMinor} currency={order.currency} locale={locale} />
          </dd>
          <dt className="text-stone-600">{td("created")}</dt>
          <dd data-testid="order-created">{when(order.createdAt)}</dd>
          <dt className="text-stone-600">{t("customer")}</dt>
          <dd data-testid="order-customer">{order.customerName}</dd>
          <dt className="text-stone-600">{t("email")}</dt>
          <dd className="break-all">{order.customerEmail ?? "—"}</dd>
          <dt className="text-stone-600">{t("phone")}</dt>
          <dd className="tabular-nums">{order.customerPhone ? <a href={`tel:${order.customerPhone}`} className="text-brand-700 underline">{formatInternational(order.customerPhone)}</a> : "—"}</dd>
          <dt className="text-stone-600">{t("country")}</dt>
          <dd>{order.customerCountry}</dd>
        </dl>
      </Card>

      <Card>
        <h2 className="mb-2 text-lg font-semibold">{t("items")}</h2>
        <ul className="divide-y divide-stone-100 text-sm" data-testid="order-items">
          {detail.items.map((item) => (
            <li key={item.id} className="flex justify-between gap-2 py-2">
              <span>
                {item.name} × {item.quantity}
              </span>
              <Money amount={item.totalMinor} currency={order.currency} locale={locale} />
            </li>
          ))}
        </ul>
      </Card>

      <section className="space-y-3">
        <h2 className="text-lg font-semibold">{t("payments")}</h2>
        {detail.payments.length === 0 && <p className="text-sm text-stone-600">{t("noPayments")}</p>}
        {detail.payments.map((p) => {
          const providerName = getProvider(p.provider).displayName;
          const refundable = p.status === "paid" || p.status === "partially_refunded";
          return (
            <Card key={p.id} data-testid="payment-card" data-payment-id={p.id} data-provider={p.provider} data-status={p.status}>
              <div className="flex flex-wrap items-center justify-between gap-2">
                <span className="font-semibold">
                  {providerName} · {methodLabel(p.method)}
                </span>
                <StatusBadge status={p.status} label={ts(p.status)} />
              </div>
              <dl className="mt-3 grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
                <dt className="text-stone-600">{t("paymentReference")}</dt>
                <dd className="font-mono" data-testid="payment-reference">{p.reference}</dd>
                <dt className="text-stone-600">{t("providerReference")}</dt>
                <dd className="break-all font-mono">{p.providerReference ?? "—"}</dd>
                <dt className="text-stone-600">{td("amount")}</dt>
                <dd>
                  <Money amount={p.amountMinor} currency={p.currency} locale={locale} />
                </dd>
                <dt className="text-stone-600">{td("fee")}</dt>
                <dd>
                  <SourcedMoney amount={p.feeMinor} currency={p.currency} locale={locale} reported={p.feeReported} labels={sources} testId="payment-fee" />
                </dd>
                <dt className="text-stone-600">{td("net")}</dt>
                <dd>
                  <SourcedMoney amount={p.netMinor} currency={p.currency} locale={locale} reported={p.feeReported} labels={sources} testId="payment-net" />
                </dd>
                <dt className="text-stone-600">{td("settlement")}</dt>
                <dd>
                  <SettlementDate date={p.settlementDate} reported={p.settlementReported} labels={sources} locale={locale} />
                </dd>
                <dt className="text-stone-600">{t("paidAt")}</dt>
                <dd>{when(p.paidAt)}</dd>
                {p.refundedMinor > 0 && (
                  <>
                    <dt className="text-stone-600">{t("refunded")}</dt>
                    <dd data-testid="payment-refunded">
                      <Money amount={p.refundedMinor} currency={p.currency} locale={locale} />
                    </dd>
                  </>
                )}
                {p.failureCode && (
                  <>
                    <dt className="text-stone-600">{t("failure")}</dt>
                    <dd className="col-span-2 sm:col-span-3" data-testid="payment-failure" data-code={p.failureCode}>
                      {failureReason(p) ? tr(failureReason(p)!) : p.failureMessage}
                      <span className="block font-mono text-xs text-stone-500">
                        {t("code", { code: p.failureCode })}
                        {failureReason(p) && p.failureMessage && p.failureMessage !== p.failureCode ? ` · ${p.failureMessage}` : ""}
                      </span>
                    </dd>
                  </>
                )}
                {p.flag && (
                  <>
                    <dt className="text-stone-600">{t("flag")}</dt>
                    <dd data-testid="payment-flag" data-flag={p.flag} data-resolution={p.flagResolution ?? ""}>
                      <span className="font-semibold text-red-700">{te.has(`flag.${p.flag}`) ? te(`flag.${p.flag}`) : p.flag}</span>{" "}
                      {p.flagResolvedAt ? (
                        <span className="text-stone-600">{te("resolvedOn", { resolution: te.has(`resolution.${p.flagResolution}`) ? te(`resolution.${p.flagResolution}`) : String(p.flagResolution) })}</span>
                      ) : (
                        <Link href="/dashboard/exceptions" className="text-brand-700 underline">
                          {te("openInQueue")}
                        </Link>
                      )}
                    </dd>
                  </>
                )}
              </dl>
              <div className="mt-3 flex flex-col gap-3 sm:flex-row sm:items-start">
                <RecheckForm paymentId={p.id} labels={{ recheck: t("recheck"), recheckConfirm: t("recheckConfirm"), confirm: t("confirm"), cancel: t("cancel") }} />
                {refundable && mayRefund && p.remainingMinor > 0 && (
                  <RefundForm
                    paymentId={p.id}
                    intent={newId("rfi")}
                    remaining={majorDecimal(p.remainingMinor, p.currency)}
                    labels={{
                      confirm: t("confirm"),
                      cancel: t("cancel"),
                      refund: t("refund"),
                      refundAmount: t("refundAmount"),
                      refundReason: t("refundReason"),
                      refundConfirmLabel: t("refundConfirmLabel"),
                      refundMode: t(`refundMode.${p.refundMode}`, { provider: providerName }),
                    }}
                  />
                )}
                {refundable && !mayRefund && (
                  <p className="text-sm text-stone-600" data-testid="refund-owner-only">
                    {t("ownerOnly")}
                  </p>
                )}
              </div>
            </Card>
          );
        })}
      </section>

      {detail.refunds.length > 0 && (
        <Card>
          <h2 className="mb-2 text-lg font-semibold">{t("refunds")}</h2>
          <ul className="space-y-2 text-sm">
            {detail.refunds.map((r) => (
              <li key={r.id} data-testid="refund-entry" data-kind={r.kind} data-status={r.status}>
                <span className="font-semibold">
                  <Money amount={r.amountMinor} currency={r.currency} locale={locale} />
                </span>{" "}
                · {t(`refundKind.${r.kind}`)} · {t(`refundStatus.${r.status}`)} · {when(r.createdAt)}
                {r.reason && <span className="block text-stone-600">{r.reason}</span>}
                {r.instructions && (
                  <span className="block text-stone-600" data-testid="refund-instructions">
                    {t("instructions")}: {r.instructions}
                  </span>
                )}
              </li>
            ))}
          </ul>
        </Card>
      )}

      <section>
        <h2 className="mb-2 text-lg font-semibold">{t("timeline")}</h2>
        <Timeline events={detail.events} payments={timelinePayments} timeZone={ctx.merchant.timeZone} />
      </section>
    </div>
  );
}
