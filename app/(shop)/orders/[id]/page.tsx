import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFormatter, getTranslations } from "next-intl/server";
import { Money } from "@/components/money";
import { SiteHeader } from "@/components/site-header";
import { Card } from "@/components/ui/card";
import { getDb } from "@/db";
import { shopLocale } from "@/lib/checkout/locale";
import { loadShop } from "@/lib/checkout/shop";
import { checkoutLabels } from "@/lib/checkout/views";
import { getPublicOrder } from "@/lib/orders/public";
import { maskPhone } from "@/lib/payments/redact";
import { PROVIDERS } from "@/lib/payments/registry";
import { paymentOptions } from "@/lib/payments/routing";
import { ClearCart } from "./_components/clear-cart";
import { PendingAction } from "./_components/pending-action";
import { RetryForm } from "./_components/retry-form";
import { StatusPoller } from "./_components/status-poller";

export const metadata: Metadata = { title: "Commande · Order", robots: { index: false } };

type Props = { params: Promise<{ id: string }> };

const UNDECIDED = new Set(["created", "pending", "waiting_for_customer"]);

export default async function OrderStatusPage({ params }: Props) {
  const db = await getDb();
  const order = await getPublicOrder(db, (await params).id);
  if (!order) notFound();
  const locale = await shopLocale(order.merchant.defaultLocale);
  const [t, tc, format] = await Promise.all([getTranslations({ locale, namespace: "order" }), getTranslations({ locale, namespace: "checkout" }), getFormatter({ locale })]);
  const latest = order.payments[0];
  const state = order.status !== "open" ? order.status : (latest?.status ?? "none");
  const undecided = order.status === "open" && latest && UNDECIDED.has(latest.status);
  // iPay's IPN said this attempt failed or its code was used: the payment stays open (an unsigned
  // callback never fails one), but the shopper may try again.
  const attemptOutcome = undecided && (latest.attemptOutcome === "failed" || latest.attemptOutcome === "used") ? latest.attemptOutcome : null;
  const canRetry = order.status === "open" && (!latest || !UNDECIDED.has(latest.status) || attemptOutcome !== null);
  const collected = order.payments.find((p) => p.paidAt);

  let retry = null;
  if (canRetry) {
    const shop = await loadShop(db, order.merchant.slug);
    const options = paymentOptions(order.customerCountry, order.currency, order.amountMinor, shop?.accounts ?? []);
    const views = await checkoutLabels(locale, [order.customerCountry], { [order.customerCountry]: options });
    retry = views.optionsByCountry[order.customerCountry] ?? [];
  }

  return (
    <>
      <SiteHeader locale={locale} />
      <main lang={locale} className="mx-auto max-w-md space-y-4 px-4 py-6">
        <ClearCart shop={order.merchant.slug} />
        <Card>
          <p className="text-sm text-stone-600">{order.merchant.name}</p>
          <h1 className="mt-1 text-xl font-bold">{t("title", { reference: order.reference })}</h1>
          <p className="mt-3 text-3xl font-bold">
            <Money amount={order.amountMinor} currency={order.currency} locale={locale} />
          </p>
          {/* Fixed height: the status text changes in place without moving the page. */}
          <p className="mt-4 flex min-h-14 items-center rounded-lg bg-stone-100 px-3 font-semibold" data-testid="order-status" data-status={state} role="status" aria-live="polite">
            {t(`state.${state}` as never)}
          </p>
          {latest && !undecided && order.status === "open" && (
            <p className="mt-2 text-sm text-stone-700" data-testid="failure-reason">
              {latest.status === "failed"
                ? t("reasons.failed", { code: latest.failureCode ?? "none" })
                : latest.status === "cancelled" || latest.status === "expired"
                  ? t(`reasons.${latest.status}` as never)
                  : null}
            </p>
          )}
        </Card>

        {attemptOutcome && (
          <p className="rounded-lg bg-amber-50 p-3 text-sm text-amber-900" role="status" data-testid="attempt-outcome" data-outcome={attemptOutcome}>
            {t(`attempt.${attemptOutcome}`)}
          </p>
        )}

        {undecided && !attemptOutcome && latest.nextAction && (
          <Card>
            <PendingAction
              action={latest.nextAction as never}
              returnUrl={`/orders/${order.id}/return?p=${latest.id}`}
              expiresAt={latest.status === "waiting_for_customer" && latest.expiresAt ? latest.expiresAt.toISOString() : null}
              maskedPhone={order.customerPhone ? maskPhone(order.customerPhone) : ""}
              labels={{ goToPayment: t("goToPayment"), openingWidget: t("openingWidget"), redirecting: t("redirecting"), timeLeft: t("timeLeft", { time: "{time}" }), confirmOnPhone: t("confirmOnPhone", { phone: "{phone}" }) }}
            />
          </Card>
        )}

        {retry && (
          <Card>
            <h2 className="mb-2 font-semibold">{t("tryAgain")}</h2>
            <RetryForm orderId={order.id} options={retry} labels={{ lead: t("tryAgainLead"), submit: t("tryAgain"), paying: tc("paying") }} />
          </Card>
        )}

        <Card>
          <h2 className="font-semibold">{collected ? t("receipt") : tc("yourOrder")}</h2>
          <ul className="mt-2 divide-y divide-stone-200 text-sm" data-testid="order-items">
            {order.items.map((item, i) => (
              <li key={i} className="flex justify-between py-2">
                <span>
                  {item.quantity} × {item.name}
                </span>
                <Money amount={item.totalMinor} currency={order.currency} locale={locale} />
              </li>
            ))}
          </ul>
          {collected && (
            <dl className="mt-3 grid grid-cols-2 gap-1 text-sm" data-testid="receipt">
              <dt className="text-stone-600">{t("provider")}</dt>
              <dd>{PROVIDERS[collected.provider].displayName}</dd>
              <dt className="text-stone-600">{t("method")}</dt>
              <dd>{tc.has(`methods.${collected.method}` as never) ? tc(`methods.${collected.method}` as never) : collected.method}</dd>
              <dt className="text-stone-600">{t("paidAt")}</dt>
              <dd>{format.dateTime(collected.paidAt!, { dateStyle: "medium", timeStyle: "short" })}</dd>
              <dt className="text-stone-600">{t("paymentReference")}</dt>
              <dd className="font-mono">{collected.reference}</dd>
            </dl>
          )}
        </Card>
        <Link href={`/${order.merchant.slug}`} className="block text-center text-sm text-brand-700 underline">
          {t("backToShop")}
        </Link>
        {undecided && <StatusPoller orderId={order.id} known={`${order.status}:${latest.status}`} />}
      </main>
    </>
  );
}
