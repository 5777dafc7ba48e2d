import { randomUUID } from "node:crypto";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { buttonClass } from "@/components/ui/button";
import { getDb } from "@/db";
import { requireMerchant } from "@/lib/auth/guard";
import { can } from "@/lib/auth/permissions";
import { encodeTimeCursor, readTimeCursor } from "@/lib/dashboard/keyset";
import { methodLabeler } from "@/lib/i18n/method-label";
import { formatMoney, type Locale } from "@/lib/money";
import { EXCEPTION_OUTCOMES } from "@/lib/payments/exception-actions";
import { listExceptions, NOTE_REQUIRED, type ExceptionView, type Offer } from "@/lib/payments/exceptions";
import { getProvider } from "@/lib/payments/registry";
import { ExceptionActionForm } from "./_components/exception-action-form";
import { storeClock } from "@/lib/time/store-clock";

export const metadata = { title: "Exceptions" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The Exceptions queue: every open flag with what happened, what to check, and its actions (owner only). */
export default async function ExceptionsPage({ searchParams }: Props) {
  const ctx = await requireMerchant("view");
  const params = await searchParams;
  const done = EXCEPTION_OUTCOMES.find((o) => o === params.done);
  const [{ rows, next }, t, ts, locale] = await Promise.all([
    listExceptions(await getDb(), ctx.merchant.id, readTimeCursor(params.cursor)),
    getTranslations("exceptions"),
    getTranslations("paymentStatus"),
    getLocale(),
  ]);
  const methodLabel = await methodLabeler();
  const mayAct = can(ctx, "exceptions");
  const money = (amount: number | null, currency: string) => (amount === null ? t("unknownAmount") : formatMoney(amount, currency, locale as Locale));

  const offerForm = (e: ExceptionView, offer: Offer, token: string) => {
    const provider = getProvider(e.provider).displayName;
    const amount = "amountMinor" in offer ? money(offer.amountMinor, e.currency) : "";
    const variant = offer.action === "resolve" && offer.cancels ? "resolveCancels" : offer.action;
    const note = offer.action === "refund" ? undefined : { label: NOTE_REQUIRED[offer.action] ? t("noteRequired") : t("noteOptional"), required: NOTE_REQUIRED[offer.action] };
    return (
      <ExceptionActionForm
        key={offer.action}
        paymentId={e.id}
        token={token}
        action={offer.action}
        label={t(`action.${variant}`, { amount, provider })}
        hint={t(`hint.${variant}`, { amount, provider })}
        note={note}
        primary={offer.action === "refund" || offer.action === "accept"}
      />
    );
  };

  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="text-sm text-stone-600">{t("lead")}</p>
      </div>
      {done && (
        <p role="status" className="rounded-lg bg-green-50 p-3 text-sm font-medium text-green-800" data-testid="exceptions-done" data-outcome={done}>
          {t(`done.${done}`)}
        </p>
      )}
      {rows.length === 0 && (
        <p className="text-stone-600" data-testid="exceptions-empty">
          {t("empty")}
        </p>
      )}
      <ul className="space-y-3" data-testid="exceptions-list">
        {rows.map((e) => {
          const provider = getProvider(e.provider).displayName;
          const { reason } = e;
          // One token per rendered row: the same form sent twice is one intent.
          const token = randomUUID();
          return (
            <li key={e.id} className="rounded-xl border border-amber-300 bg-white p-4" data-testid="exception-row" data-payment-id={e.id} data-order-id={e.orderId} data-flag={e.flag}>
              <div className="flex flex-wrap items-center justify-between gap-2">
                <Link href={`/dashboard/orders/${e.orderId}`} className="font-mono font-semibold text-brand-700 underline" data-testid="exception-order">
                  {e.orderReference}
                </Link>
                <span className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-900" data-testid="exception-flag">
                  {t(`flag.${reason.adviceKey}`)}
                </span>
              </div>
              <p className="mt-2 font-medium" data-testid="exception-reason">
                {t(`reason.${reason.key}`, {
                  amount: money(reason.amounts.amount, reason.currency),
                  received: money(reason.amounts.received, reason.receivedCurrency),
                  difference: money(reason.amounts.difference, reason.currency),
                  receivedCurrency: reason.receivedCurrency,
                  provider,
                  status: ts(e.status),
                  flag: e.flag,
                  short: reason.shortages.map((s) => `${s.missing} × ${s.name}`).join(", "),
                })}
              </p>
              <dl className="mt-2 grid grid-cols-2 gap-2 text-sm sm:grid-cols-4">
                <dt className="text-stone-600">{t("provider")}</dt>
                <dd>
                  {provider} · {methodLabel(e.method)}
                </dd>
                <dt className="text-stone-600">{t("status")}</dt>
                <dd data-testid="exception-status" data-status={e.status}>
                  {ts(e.status)}
                </dd>
                <dt className="text-stone-600">{t("ours")}</dt>
                <dd data-testid="exception-ours">{money(e.amountMinor, e.currency)}</dd>
                <dt className="text-stone-600">{t("received")}</dt>
                <dd data-testid="exception-received">{money(e.received.amountMinor, e.received.currency)}</dd>
                {e.refundedMinor > 0 && (
                  <>
                    <dt className="text-stone-600">{t("refunded")}</dt>
                    <dd>{money(e.refundedMinor, e.currency)}</dd>
                  </>
                )}
                <dt className="text-stone-600">{t("since")}</dt>
                <dd>{storeClock(locale, ctx.merchant.timeZone).dateTime(e.updatedAt)}</dd>
              </dl>
              <p className="mt-2 text-sm text-stone-700" data-testid="exception-advice">
                <span className="font-semibold">{t("check")} </span>
                {t(`advice.${reason.adviceKey}`, { provider, providerReference: e.providerReference ?? "—" })}
              </p>
              {mayAct ? (
                <div className="mt-3 grid items-start gap-2 sm:grid-cols-2" data-testid="exception-actions">
                  {e.offers.map((offer) => offerForm(e, offer, token))}
                </div>
              ) : (
                <p className="mt-3 text-sm text-stone-600" data-testid="exceptions-owner-only">
                  {t("ownerOnly")}
                </p>
              )}
            </li>
          );
        })}
      </ul>
      {next && (
        <Link href={`/dashboard/exceptions?cursor=${encodeTimeCursor(next)}`} className={buttonClass("secondary")} data-testid="exceptions-next">
          {t("next")}
        </Link>
      )}
    </div>
  );
}
