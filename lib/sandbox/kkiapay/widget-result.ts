import { esc, htmlPage, refusedReturn, type SandboxLang } from "@/lib/sandbox/html";
import { followable, type Targets } from "@/lib/sandbox/targets";
import { KKIAPAY_BRAND, FAILURE_MESSAGES, strings } from "./i18n";
import { FAILURE_CODES, type WidgetConfig } from "./schemas";
import { WIDGET_BASE, callbackUrl, inlineJson, postToParent, widgetEvents, type WidgetOutcome } from "./events";
import type { KkiapayTransaction } from "./store";

/**
 * What the iframe shows after the shopper acted. Inside k.js's modal the parent page does the
 * redirect to `callback` (it owns the config); opened standalone, the page redirects itself.
 * The events are also kept in a JSON script element so HTTP-level tests can read them.
 */
export function resultPage(opts: { outcome: WidgetOutcome; config: WidgetConfig; txn: KkiapayTransaction | null; lang: SandboxLang; targets: Targets }): Response {
  const { outcome, config, txn, lang } = opts;
  const t = strings(lang);
  const transactionId = txn?.token ?? "";
  const events = widgetEvents(outcome, config, transactionId);
  const target = outcome === "success" ? config.callback : outcome === "failed" ? config.failedCallback : undefined;
  const wanted = target && transactionId ? callbackUrl(target, transactionId) : null;
  // Only where the sandbox may send a shopper (targets.ts); any other callback is named, not followed.
  const redirect = wanted ? followable(wanted, opts.targets) : null;
  const failure = (txn?.state as { failureCode?: string } | undefined)?.failureCode;
  const failureText = failure && (FAILURE_CODES as readonly string[]).includes(failure) ? FAILURE_MESSAGES[failure as (typeof FAILURE_CODES)[number]][lang] : failure;
  const heading = { success: t.paid, failed: t.refused, pending: t.waiting, abort: t.aborted }[outcome];

  const confirm =
    outcome === "pending"
      ? `<p class="muted">${esc(t.waitingHint)}</p>
<form method="post" action="${WIDGET_BASE}/confirm">
  <input type="hidden" name="transactionId" value="${esc(transactionId)}">
  <input type="hidden" name="lang" value="${lang}">
  <button type="submit" name="outcome" value="success" class="primary" data-testid="kkiapay-confirm-success">${esc(t.confirm)}</button>
  <button type="submit" name="outcome" value="failed" class="danger" data-testid="kkiapay-confirm-failed">${esc(t.reject)}</button>
</form>`
      : "";
  const next = redirect
    ? `<a class="btn primary" href="${esc(redirect)}" target="_top" data-testid="kkiapay-continue">${esc(t.continue)}</a>`
    : outcome === "pending"
      ? ""
      : `<button type="button" class="secondary" data-testid="kkiapay-close" onclick="window.parent.postMessage({name:'CLOSE_WIDGET',data:{}},'*')">${esc(t.close)}</button>`;
  const standaloneRedirect = redirect ? `<script>if(window.parent===window){location.href=${inlineJson(redirect)}}</script>` : "";
  const refused = wanted && !redirect ? refusedReturn(lang, wanted) : "";

  const body = `<div class="card" role="status" data-testid="kkiapay-result" data-outcome="${outcome}">
  <h1>${esc(heading)}</h1>
  ${transactionId ? `<p class="muted">${esc(t.transaction)} : <strong data-testid="kkiapay-transaction-id">${esc(transactionId)}</strong></p>` : ""}
  ${outcome === "failed" && failureText ? `<p class="error">${esc(failureText)}</p>` : ""}
  ${confirm}${next}
</div>${refused}
<script type="application/json" id="kkiapay-events">${inlineJson({ events, redirect })}</script>
${postToParent(events)}${standaloneRedirect}`;
  return htmlPage({ brand: KKIAPAY_BRAND, lang, title: heading, body });
}
