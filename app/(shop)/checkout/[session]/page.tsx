import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { PayLinkForm } from "@/components/checkout/pay-link-form";
import { Money } from "@/components/money";
import { SiteHeader } from "@/components/site-header";
import { Card } from "@/components/ui/card";
import { getDb } from "@/db";
import { loadSessionPage } from "@/lib/checkout-sessions/page";
import { mayPay, sessionStatus, successUrlFor } from "@/lib/checkout-sessions/read";
import { shopLocale } from "@/lib/checkout/locale";
import { sessionTitle } from "@/lib/checkout/titles";
import { checkoutLabels } from "@/lib/checkout/views";
import { formatMoney } from "@/lib/money";

type Props = { params: Promise<{ session: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return sessionTitle((await params).session);
}

const linkButton = "flex min-h-12 w-full items-center justify-center rounded-lg border border-stone-300 bg-white px-4 text-center font-semibold text-stone-900";

/**
 * An API checkout session's page (its `url`): the store's checkout for the session's amount,
 * which the shopper cannot change. Once its order exists, the order's page takes over (status,
 * retry, receipt, then back to the merchant). Expired or paid, it says so and offers no payment.
 */
export default async function CheckoutSessionPage({ params }: Props) {
  const db = await getDb();
  const page = await loadSessionPage(db, (await params).session);
  if (!page) notFound();
  const { session, merchant, countries, optionsByCountry } = page;
  const now = new Date();
  if (session.orderId && mayPay(session, now)) redirect(`/orders/${session.orderId}`);
  const locale = await shopLocale(merchant.defaultLocale);
  const [views, t] = await Promise.all([checkoutLabels(locale, countries, optionsByCountry), getTranslations({ locale, namespace: "checkout.session" })]);
  const status = sessionStatus(session, now);
  const store = merchant.name;

  const summary = (
    <Card>
      <p className="text-sm text-stone-600">{store}</p>
      <h1 className="mt-1 text-xl font-bold">{t("title", { store })}</h1>
      {session.lineItems && (
        <ul className="mt-2 divide-y divide-stone-200 text-sm" data-testid="session-items">
          {session.lineItems.map((item, i) => (
            <li key={i} className="flex justify-between py-2">
              <span>
                {item.quantity} × {item.name}
              </span>
              <Money amount={item.unitAmountMinor * item.quantity} currency={session.currency} locale={locale} />
            </li>
          ))}
        </ul>
      )}
      <p className="mt-3 text-3xl font-bold" data-testid="session-amount">
        <Money amount={session.amountMinor} currency={session.currency} locale={locale} />
      </p>
      {session.mode === "sandbox" && <p className="mt-2 text-xs text-amber-800" data-testid="session-test-mode">{t("testMode")}</p>}
    </Card>
  );

  if (!mayPay(session, now)) {
    const complete = status === "complete";
    return (
      <>
        <SiteHeader locale={locale} shop={merchant} />
        <main lang={locale} className="mx-auto max-w-md space-y-4 px-4 py-6">
          {summary}
          <Card className="space-y-3" data-testid="session-closed" data-status={status}>
            <h2 className="font-semibold">{complete ? t("completeTitle") : t("expiredTitle")}</h2>
            <p className="text-sm text-stone-800">{complete ? t("complete") : t("expired")}</p>
            <a href={complete ? successUrlFor(session) : session.cancelUrl} className={linkButton} data-testid={complete ? "back-to-merchant" : "cancel-session"}>
              {t("back", { store })}
            </a>
          </Card>
        </main>
      </>
    );
  }

  const customer = session.customer;
  const initial = Object.fromEntries(Object.entries({ name: customer.name, email: customer.email, phone: customer.phone, country: customer.country }).filter(([, v]) => v)) as Record<string, string>;
  const defaultCountry = customer.country && countries.includes(customer.country) ? customer.country : countries.includes(merchant.country) ? merchant.country : (countries[0] ?? "");
  if (initial.country && !countries.includes(initial.country)) delete initial.country;
  return (
    <>
      <SiteHeader locale={locale} shop={merchant} />
      <main lang={locale} className="mx-auto max-w-md space-y-4 px-4 py-6">
        {summary}
        <PayLinkForm
          session={session.id}
          initial={initial}
          locale={locale}
          fixedAmount={formatMoney(session.amountMinor, session.currency, locale)}
          bounds={null}
          currency={session.currency}
          countries={views.countries}
          optionsByCountry={views.optionsByCountry}
          defaultCountry={defaultCountry}
          labels={views.labels}
        />
        <a href={session.cancelUrl} className="block text-center text-sm text-brand-700 underline" data-testid="cancel-session">
          {t("cancel", { store })}
        </a>
      </main>
    </>
  );
}
