import { getLocale, getTranslations } from "next-intl/server";
import type { paymentEvents } from "@/db/schema";
import { eventWords } from "@/lib/dashboard/timeline-words";
import { redact } from "@/lib/payments/redact";
import { getProvider } from "@/lib/payments/registry";
import type { ProviderId } from "@/lib/payments/types";
import { storeClock } from "@/lib/time/store-clock";

type Event = typeof paymentEvents.$inferSelect;
export type TimelinePayment = { reference: string; provider: ProviderId; failureCode: string | null };

/**
 * Every ledger row, oldest first, said in the merchant's words (lib/dashboard/timeline-words.ts):
 * what happened, who or what did it, and for a provider's error code what it means. The raw
 * record stays one tap away ("Technical details"). Payloads were redacted before they were
 * stored; they go through redact() again here so a page can never be the place a missed secret leaks.
 */
export async function Timeline({ events, payments, timeZone }: { events: Event[]; payments: Record<string, TimelinePayment>; timeZone: string }) {
  const [t, ts, te, tr, locale] = await Promise.all([getTranslations("orderDetail"), getTranslations("paymentStatus"), getTranslations("exceptions"), getTranslations("order.reasons"), getLocale()]);
  const clock = storeClock(locale, timeZone);
  return (
    <ol className="space-y-2" data-testid="timeline">
      {events.map((e) => {
        const payment = payments[e.paymentId];
        if (!payment) return null;
        const provider = getProvider(payment.provider).displayName;
        const words = eventWords(e, payment);
        const values = {
          provider,
          status: words.status ? ts(words.status as "paid").toLowerCase() : "",
          flag: words.flag && te.has(`flag.${words.flag}`) ? te(`flag.${words.flag}` as "flag.unknown") : (words.flag ?? ""),
        };
        return (
          <li key={e.id} className="rounded-lg border border-stone-200 bg-white p-3 text-sm" data-testid="timeline-event" data-type={e.type} data-actor={e.actor ?? ""} data-say={words.say}>
            <p className="font-semibold" data-testid="timeline-say">
              {t(`say.${words.say}` as "say.other", values)}
            </p>
            {words.code && (
              <p className="text-stone-700" data-testid="timeline-code" data-code={words.code}>
                <span className="font-mono">{t("code", { code: words.code })}</span> · {words.reason ? t("toldShopper", { reason: tr(words.reason) }) : t("unknownCode", { provider })}
              </p>
            )}
            <p className="mt-1 text-xs text-stone-600">
              <time dateTime={e.createdAt.toISOString()} data-testid="timeline-time">
                {clock.dateTimeSeconds(e.createdAt)}
              </time>{" "}
              · <span data-testid="timeline-who">{t(`who.${words.who}` as "who.caisse", { provider })}</span> · <span className="font-mono">{payment.reference}</span>
            </p>
            {Object.keys(e.data).length > 0 && (
              <details className="mt-1">
                <summary className="inline-flex min-h-6 cursor-pointer items-center text-xs text-brand-700">{t("details")}</summary>
                <pre className="mt-1 max-h-64 overflow-auto whitespace-pre-wrap break-all rounded bg-stone-50 p-2 text-xs">{JSON.stringify(redact(e.data), null, 2)}</pre>
              </details>
            )}
          </li>
        );
      })}
    </ol>
  );
}
