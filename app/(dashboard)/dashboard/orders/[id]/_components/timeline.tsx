import { getLocale, getTranslations } from "next-intl/server";
import type { paymentEvents } from "@/db/schema";
import { redact } from "@/lib/payments/redact";
import { storeClock } from "@/lib/time/store-clock";

type Event = typeof paymentEvents.$inferSelect;

/**
 * Every ledger row, oldest first. Payloads were redacted before they were stored; they go
 * through redact() again here so a page can never be the place a missed secret leaks.
 */
export async function Timeline({ events, references, timeZone }: { events: Event[]; references: Record<string, string>; timeZone: string }) {
  const [t, ts, locale] = await Promise.all([getTranslations("orderDetail"), getTranslations("paymentStatus"), getLocale()]);
  const clock = storeClock(locale, timeZone);
  const typeLabel = (type: string) => (t.has(`eventType.${type}`) ? t(`eventType.${type}` as "eventType.note") : type);
  return (
    <ol className="space-y-2" data-testid="timeline">
      {events.map((e) => {
        const verdict = typeof e.data.verdict === "string" ? e.data.verdict : null;
        return (
          <li key={e.id} className="rounded-lg border border-stone-200 bg-white p-3 text-sm" data-testid="timeline-event" data-type={e.type} data-actor={e.actor ?? ""}>
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <span className="font-semibold">
                {typeLabel(e.type)}
                {e.toStatus && (
                  <span className="font-normal">
                    {" "}
                    {e.fromStatus ? `${ts(e.fromStatus)} → ` : "→ "}
                    {ts(e.toStatus)}
                  </span>
                )}
              </span>
              <span className="text-xs text-stone-500" data-testid="timeline-time">
                {clock.dateTimeSeconds(e.createdAt)}
              </span>
            </div>
            <p className="text-xs text-stone-600">
              <span className="font-mono">{references[e.paymentId]}</span>
              {e.actor && <> · {t("actor", { actor: e.actor })}</>}
              {verdict && <> · {t("verdict", { verdict })}</>}
            </p>
            {Object.keys(e.data).length > 0 && (
              <details className="mt-1">
                <summary className="cursor-pointer text-xs text-brand-700">{t("payload")}</summary>
                <pre className="mt-1 max-h-64 overflow-auto whitespace-pre-wrap break-all rounded bg-stone-50 p-2 text-xs">{JSON.stringify(redact(e.data), null, 2)}</pre>
              </details>
            )}
          </li>
        );
      })}
    </ol>
  );
}
