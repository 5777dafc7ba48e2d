import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/db";
import type { MerchantContext } from "@/lib/auth/membership";
import { storeClock } from "@/lib/time/store-clock";
import { deliveryLog, listEndpoints } from "@/lib/webhooks/endpoints";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/events";
import { ConfirmActionForm } from "../../../_components/confirm-action-form";
import { deleteWebhookEndpointAction, resendWebhookDeliveryAction, sendWebhookTestAction, setWebhookEndpointEnabledAction } from "../webhook-actions";
import { ActionButton, RotateSecretButton } from "./webhook-buttons";
import { WebhookEndpointForm } from "./webhook-endpoint-form";

/** Settings → Developers → Webhooks: the store's endpoints, each with its controls and its delivery log. */
export async function WebhooksSection({ ctx }: { ctx: MerchantContext }) {
  const db = await getDb();
  const [endpoints, t, ts, locale] = await Promise.all([listEndpoints(db, ctx.merchant.id), getTranslations("webhooks"), getTranslations("settings"), getLocale()]);
  const logs = await Promise.all(endpoints.map((e) => deliveryLog(db, ctx.merchant.id, e.id, 10)));
  const clock = storeClock(locale, ctx.merchant.timeZone);
  const copy = { copy: t("copy"), copied: t("copied") };
  return (
    <section className="space-y-3" aria-labelledby="webhooks-title">
      <h2 id="webhooks-title" className="text-lg font-semibold">
        {t("title")}
      </h2>
      <p className="text-sm text-stone-700">{t("intro")}</p>
      <WebhookEndpointForm
        eventTypes={WEBHOOK_EVENT_TYPES}
        labels={{ title: t("create"), url: t("url"), urlHint: t("urlHint"), mode: t("mode"), sandbox: ts("sandbox"), live: ts("live"), events: t("events"), description: t("description"), submit: t("submit"), secretOnce: t("secretOnce"), ...copy }}
      />
      <h3 className="font-semibold">{t("endpoints")}</h3>
      {endpoints.length === 0 && <p className="text-sm text-stone-600">{t("empty")}</p>}
      <ul className="space-y-3" data-testid="webhook-list">
        {endpoints.map((e, i) => (
          <li key={e.id} className="space-y-3 rounded-xl border border-stone-200 bg-white p-4 text-sm" data-testid="webhook-endpoint" data-url={e.url} data-enabled={e.disabledAt ? "false" : "true"}>
            <div className="space-y-1">
              <p className="break-all font-mono text-xs font-medium">{e.url}</p>
              <p>
                {ts(e.mode)} · {e.disabledAt ? <span className="font-medium text-red-700">{t("disabled")}</span> : <span className="text-emerald-700">{t("enabled")}</span>}
                {e.description && <> · {e.description}</>}
              </p>
              {e.disabledAt && (
                <p className="text-red-700" data-testid="webhook-disabled-reason">
                  {t(e.disabledReason === "failing" ? "disabledFailing" : "disabledManual", { date: clock.dateTime(e.disabledAt) })}
                </p>
              )}
              <p className="font-mono text-xs text-stone-600">{e.events.join(", ")}</p>
            </div>
            <div className="flex flex-wrap gap-2">
              <ActionButton action={sendWebhookTestAction} fields={{ endpointId: e.id }} label={t("test")} testId="webhook-test" />
              <ActionButton action={setWebhookEndpointEnabledAction} fields={{ endpointId: e.id, enabled: e.disabledAt ? "true" : "false" }} label={t(e.disabledAt ? "enable" : "disable")} testId="webhook-toggle" />
              <RotateSecretButton endpointId={e.id} labels={{ rotate: t("rotate"), newSecret: t("newSecret"), ...copy }} />
              <ConfirmActionForm action={deleteWebhookEndpointAction} fields={{ endpointId: e.id }} labels={{ open: t("delete"), question: t("deleteConfirm"), confirm: t("deleteYes"), cancel: t("cancel") }} testId="webhook-delete" />
            </div>
            <details className="rounded-lg bg-stone-50 p-2" data-testid="webhook-log">
              <summary className="min-h-11 cursor-pointer py-2 font-medium">{t("log")}</summary>
              {logs[i]!.length === 0 && <p className="text-stone-600">{t("logEmpty")}</p>}
              <ul className="divide-y divide-stone-200">
                {logs[i]!.map((d) => (
                  <li key={d.id} className="space-y-1 py-2" data-testid="webhook-delivery" data-status={d.status} data-type={d.type}>
                    <p>
                      <span className="font-mono text-xs">{d.type}</span> · {t(`status_${d.status}` as "status_pending")} · {clock.dateTime(d.createdAt)}
                      {d.nextAttemptAt && <> · {t("nextAttempt", { date: clock.dateTime(d.nextAttemptAt) })}</>}
                    </p>
                    <p className="break-all font-mono text-xs text-stone-500">{d.eventId}</p>
                    <ul className="text-xs">
                      {d.tries.map((a) => (
                        <li key={a.attempt} data-testid="webhook-attempt">
                          {t("attempt", { n: a.attempt })} · {clock.dateTime(a.startedAt)} · <span data-testid="webhook-attempt-status">{a.responseStatus ?? t("noAnswer")}</span> · {a.durationMs} ms
                          {a.error && <span className="block break-all text-red-700">{a.error}</span>}
                        </li>
                      ))}
                    </ul>
                    {d.body && (
                      <details>
                        <summary className="cursor-pointer text-xs">{t("request")}</summary>
                        <pre className="max-h-48 overflow-auto whitespace-pre-wrap break-all text-xs">{d.body}</pre>
                      </details>
                    )}
                    {d.status !== "pending" && <ActionButton action={resendWebhookDeliveryAction} fields={{ deliveryId: d.id }} label={t("resend")} testId="webhook-resend" />}
                  </li>
                ))}
              </ul>
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}
