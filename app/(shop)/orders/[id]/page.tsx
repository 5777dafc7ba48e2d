import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Money } from "@/components/money";
import { SiteHeader } from "@/components/site-header";
import { Card } from "@/components/ui/card";
import { getDb } from "@/db";
import { resendAction } from "@/lib/checkout/actions";
import { sessionAccounts } from "@/lib/checkout-sessions/accounts";
import { mayPay, successUrlFor } from "@/lib/checkout-sessions/read";
import { shopLocale } from "@/lib/checkout/locale";
import { orderView } from "@/lib/checkout/order-view";
import { orderPageData } from "@/lib/checkout/shopper-pages";
import { orderTitle } from "@/lib/checkout/titles";
import { checkoutLabels } from "@/lib/checkout/views";
import { formatMoney, type Locale } from "@/lib/money";
import { maskedForShopper } from "@/lib/phone";
import { PROVIDERS } from "@/lib/payments/registry";
import { paymentOptions } from "@/lib/payments/routing";
import { Countdown } from "./_components/countdown";
import { PendingAction } from "./_components/pending-action";
import { RetryForm } from "./_components/retry-form";
import { StatusBanner } from "./_components/status-banner";
import { StatusPoller } from "./_components/status-poller";
import { storeClock } from "@/lib/time/store-clock";

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/** How long a paid API session's receipt shows before the shopper is sent back to the merchant. */
const BACK_TO_MERCHANT_SECONDS = 4;

/** As often as the poller's first checks; a whole page each time, so not more often. */
const NOSCRIPT_REFRESH_SECONDS = 5;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return orderTitle((await params).id);
}

const secondary = "flex min-h-12 w-full items-center justify-center rounded-lg border border-stone-300 bg-white px-4 font-semibold text-stone-900";

export default async function OrderStatusPage({ params, searchParams }: Props) {
  const found = await orderPageData((await params).id);
  if (!found) notFound();
  const { order } = found;
  const query = await searchParams;
  const go = query.go;
  // "Pay another way" without JavaScript: the form open, on a page that does not reload itself
  // under the shopper's fingers (see the <noscript> below).
  const another = query.another === "1";
  const { session } = found;
  // An API session's order is paid while its session is open only: past it, no new attempt.
  const closed = session !== null && !mayPay(session, new Date());
  const view = orderView(order, typeof go === "string" ? go : null, { closed });
  const backToMerchant = session && order.paidAt ? successUrlFor(session) : null;
  const locale = await shopLocale(order.merchant.defaultLocale);
  const [t, tc, ts] = await Promise.all([getTranslations({ locale, namespace: "order" }), getTranslations({ locale, namespace: "checkout" }), getTranslations({ locale, namespace: "checkout.session" })]);
  const latest = order.payments[0];
  const provider = latest ? PROVIDERS[latest.provider].displayName : "";
  const phone = order.customerPhone ? maskedForShopper(order.customerPhone) : "";
  const money = (amount: number) => formatMoney(amount, order.currency, locale as Locale);
  const collected = order.payments.find((p) => p.paidAt);

  let retry = null;
  if (view.retry) {
    // An API session's order offers what its mode can pay through, as retryOrder accepts.
    const accounts = session ? await sessionAccounts(await getDb(), session) : found.accounts;
    const options = paymentOptions(order.customerCountry, order.currency, order.amountMinor, accounts);
    const views = await checkoutLabels(locale, [order.customerCountry], { [order.customerCountry]: options }, order.hasCardDetails);
    retry = (
      <RetryForm
        orderId={order.id}
        options={views.optionsByCountry[order.customerCountry] ?? []}
        labels={{ ...views.labels, email: tc("emailRequiredLabel"), lead: t("tryAgainLead"), submit: t("tryAgain"), paying: tc("paying") }}
      />
    );
  }
  const pending = view.pending;

  return (
    <>
      <SiteHeader locale={locale} shop={order.merchant} />
      <main lang={locale} className="mx-auto max-w-md space-y-4 px-4 py-6">
        <Card>
          <p className="text-sm text-stone-600">{order.merchant.name}</p>
          <h1 className="mt-1 text-xl font-bold">{t("title", { reference: order.reference })}</h1>
          <p className="mt-3 text-3xl font-bold">
            <Money amount={order.amountMinor} currency={order.currency} locale={locale} />
          </p>
          <StatusBanner state={view.state} tone={view.tone} text={t(view.headline as never)} />
          {view.reason && (
            <p className="mt-2 text-sm text-stone-800" data-testid="failure-reason">
              {t(`reasons.${view.reason}`)}
            </p>
          )}
          {view.underpaid && (
            <p className="mt-2 text-sm text-stone-800" data-testid="underpaid">
              {t("underpaid", { provider, received: money(view.underpaid.receivedMinor), total: money(order.amountMinor) })}
            </p>
          )}
        </Card>

        {backToMerchant && (
          <Card className="space-y-2">
            <p className="text-sm text-stone-700" role="status">{ts("redirecting", { store: order.merchant.name })}</p>
            <a href={backToMerchant} className="flex min-h-12 w-full items-center justify-center rounded-lg bg-brand-700 px-4 font-semibold text-white" data-testid="back-to-merchant">
              {ts("back", { store: order.merchant.name })}
            </a>
            {/* A meta refresh is no script: it works without JavaScript and under the CSP. */}
            <meta httpEquiv="refresh" content={`${BACK_TO_MERCHANT_SECONDS};url=${backToMerchant}`} />
          </Card>
        )}
        {closed && !order.paidAt && (
          <Card className="space-y-2" data-testid="session-closed" data-status="expired">
            <h2 className="font-semibold">{ts("expiredTitle")}</h2>
            <p className="text-sm text-stone-800">{ts("expired")}</p>
          </Card>
        )}

        {view.attempt && (
          <p className="rounded-lg border border-amber-600 bg-amber-50 p-3 text-sm text-amber-950" role="status" data-testid="attempt-outcome" data-outcome={view.attempt}>
            {t(`attempt.${view.attempt}`)}
          </p>
        )}

        {(pending || view.resendOption) && (
          <Card className="space-y-3">
            {pending?.action.type === "approve_on_phone" ? (
              <div>
                <p className="font-medium" data-testid="approve-phone">{t("confirmOnPhone", { phone })}</p>
                {latest?.status === "waiting_for_customer" && latest.expiresAt && <Countdown until={latest.expiresAt.toISOString()} label={t("timeLeft", { time: "{time}" })} />}
              </div>
            ) : pending ? (
              <PendingAction
                action={pending.action}
                autoStart={pending.autoStart}
                returnUrl={`/orders/${order.id}/return?p=${latest!.id}`}
                labels={{
                  explainer: t(`explain.${pending.action.type}${pending.autoStart ? "Starting" : ""}` as "explain.form", { provider, phone }),
                  continue: t("continue"),
                  widgetFailed: t("widgetFailed", { provider }),
                  widgetNeedsScript: t("widgetNeedsScript", { provider }),
                }}
              />
            ) : null}
            {view.resendOption && (
              <form action={resendAction}>
                <input type="hidden" name="order" value={order.id} />
                <input type="hidden" name="option" value={view.resendOption} />
                <button type="submit" className={secondary} data-testid="resend-prompt">
                  {t("resend")}
                </button>
                {query.resend === "limited" && (
                  <p role="alert" className="mt-2 text-sm text-red-700" data-testid="resend-refused">
                    {tc("errors.tooManyAttempts")}
                  </p>
                )}
              </form>
            )}
          </Card>
        )}

        {retry && (view.retry === "shown" || (view.retry === "folded" && another)) && (
          <Card>
            <h2 className="mb-2 font-semibold">{t("tryAgain")}</h2>
            {retry}
          </Card>
        )}
        {/* Without JavaScript a waiting page reloads itself, which would close "Pay another way"
            and drop what was typed in it: there, that way is a link to this page with the form
            open and no reload. */}
        {retry && view.retry === "folded" && !another && view.tone === "waiting" && (
          <noscript>
            <a href={`/orders/${order.id}?another=1`} className={secondary} data-testid="pay-another-way-link">
              {t("anotherWay")}
            </a>
          </noscript>
        )}
        {retry && view.retry === "folded" && !another && (
          <details className={`group/another rounded-xl border border-stone-200 bg-white shadow-sm ${view.tone === "waiting" ? "[@media(scripting:none)]:hidden" : ""}`}>
            <summary className="flex min-h-12 cursor-pointer list-none items-center justify-between px-4 font-semibold [&::-webkit-details-marker]:hidden" data-testid="pay-another-way">
              {t("anotherWay")}
              <svg viewBox="0 0 20 20" className="size-5 transition-transform group-open/another:rotate-180" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
                <path d="M5 8l5 5 5-5" />
              </svg>
            </summary>
            <div className="px-4 pb-4">{retry}</div>
          </details>
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
              <dd data-testid="order-paid-at">{storeClock(locale, order.merchant.timeZone).dateTime(collected.paidAt!)}</dd>
              <dt className="text-stone-600">{t("paymentReference")}</dt>
              <dd className="font-mono">{collected.reference}</dd>
            </dl>
          )}
        </Card>
        {session ? (
          !order.paidAt && (
            <a href={session.cancelUrl} className="block text-center text-sm text-brand-700 underline" data-testid="cancel-session">
              {closed ? ts("back", { store: order.merchant.name }) : ts("cancel", { store: order.merchant.name })}
            </a>
          )
        ) : (
          // No prefetch: on a slow connection the shop's payload would share the line with this page's own (bench/RESULTS.md, "Checkout weight").
          <Link href={`/${order.merchant.slug}`} prefetch={false} className="block text-center text-sm text-brand-700 underline">
            {t("backToShop")}
          </Link>
        )}
        {latest && view.tone === "waiting" && (
          <>
            <StatusPoller orderId={order.id} known={`${order.status}:${latest.status}:${latest.attemptOutcome ?? ""}`} />
            {/* Without JavaScript the page asks for itself again: each load renders the state the
                database holds (a meta refresh is no script, so the CSP lets it run). Without
                `go`: only the checkout's own visit may start the provider step. */}
            {!another && (
              <noscript>
                <meta httpEquiv="refresh" content={`${NOSCRIPT_REFRESH_SECONDS};url=/orders/${order.id}`} />
              </noscript>
            )}
          </>
        )}
      </main>
    </>
  );
}
