import { esc, faultsPanel, htmlPage, type SandboxLang } from "@/lib/sandbox/html";
import { KKIAPAY_BRAND, OPERATOR_LABELS, FAILURE_MESSAGES, strings } from "./i18n";
import { FAILURE_CODES, offeredOperators, type WidgetConfig } from "./schemas";
import { WIDGET_BASE, inlineJson, postToParent, widgetEvents } from "./events";

function formatXof(amount: number, lang: SandboxLang): string {
  return `${new Intl.NumberFormat(lang === "en" ? "en-US" : "fr-FR").format(amount)} FCFA`;
}

/**
 * The widget as the shopper sees it inside the iframe: pick the operator, the phone and (sandbox
 * only) the outcome. The config travels as a hidden JSON field, as the real widget keeps it in
 * memory after INIT_WIDGET.
 */
export function widgetPage(config: WidgetConfig, rawConfig: string, lang: SandboxLang, error?: string, merchant?: string): Response {
  const t = strings(lang);
  const offered = offeredOperators(config);
  // One operator offered: the shopper chose it on the merchant's page, the widget just says which.
  const operators =
    offered.length === 1
      ? `<p data-testid="kkiapay-operator-fixed"><input type="hidden" name="operator" value="${offered[0]}">${esc(t.operator)} : <strong>${esc(OPERATOR_LABELS[offered[0]!])}</strong></p>`
      : `<fieldset><legend>${esc(t.operator)}</legend>${offered
          .map((op, i) => `<label class="choice"><input type="radio" name="operator" value="${op}" data-testid="kkiapay-operator-${op}"${i === 0 ? " checked" : ""}> ${esc(OPERATOR_LABELS[op])}</label>`)
          .join("")}</fieldset>`;
  const outcomes = (["success", "failed", "pending"] as const)
    .map((o, i) => `<label class="choice"><input type="radio" name="outcome" value="${o}" data-testid="kkiapay-outcome-${o}"${i === 0 ? " checked" : ""}> ${esc(t[o])}</label>`)
    .join("");
  const failureOptions = FAILURE_CODES.map((c) => `<option value="${c}">${esc(FAILURE_MESSAGES[c][lang])} (${c})</option>`).join("");
  const body = `
<div class="card">
  <p class="muted">${esc(t.amount)}</p>
  <p class="amount" data-testid="kkiapay-amount">${esc(formatXof(config.amount, lang))}</p>
  ${config.reason ? `<p class="muted">${esc(t.merchantReason)} : ${esc(config.reason)}</p>` : ""}
</div>
${error ? `<p class="error" role="alert">${esc(error)}</p>` : ""}
<form method="post" action="${WIDGET_BASE}/pay" class="card">
  <input type="hidden" name="config" value="${esc(rawConfig)}">
  <input type="hidden" name="lang" value="${lang}">
  ${operators}
  <label for="kk-phone">${esc(t.phone)}</label>
  <input id="kk-phone" name="phone" type="tel" inputmode="tel" autocomplete="tel" value="${esc(config.phone ?? "")}" aria-describedby="kk-phone-hint" data-testid="kkiapay-phone">
  <p id="kk-phone-hint" class="muted">${esc(t.phoneHint)}</p>
  <fieldset><legend>${esc(t.outcome)}</legend>${outcomes}
    <label for="kk-failure">${esc(t.failureCode)}</label>
    <select id="kk-failure" name="failureCode" data-testid="kkiapay-failure-code">${failureOptions}</select>
  </fieldset>
  ${faultsPanel(lang)}
  <button type="submit" name="action" value="pay" class="primary" data-testid="kkiapay-pay">${esc(t.pay)} ${esc(formatXof(config.amount, lang))}</button>
  <button type="submit" name="action" value="abort" class="secondary" data-testid="kkiapay-abort">${esc(t.abort)}</button>
</form>
${postToParent([{ name: "WIDGET_SUCCESSFULLY_INIT", data: {} }])}
<script>document.addEventListener("keydown",function(k){if(k.key==="Escape"&&window.parent!==window){${inlineJson(widgetEvents("abort", config, ""))}.forEach(function(m){window.parent.postMessage(m,"*")})}})</script>`;
  const page = htmlPage({ brand: { ...KKIAPAY_BRAND, primary: safeColour(config.theme) ?? KKIAPAY_BRAND.primary }, lang, title: t.title, body, merchant });
  return error ? new Response(page.body, { status: 400, headers: page.headers }) : page;
}

/** The merchant's `theme` colour, only when it is a plain CSS colour (it lands in a <style>). */
function safeColour(theme: string | undefined): string | null {
  return theme && /^#[0-9a-f]{3,8}$/i.test(theme) ? theme : null;
}

export function widgetErrorPage(message: string, lang: SandboxLang, status = 400): Response {
  const t = strings(lang);
  const body = `<div class="card"><h1>${esc(t.badConfig)}</h1><p class="error" role="alert" data-testid="kkiapay-error">${esc(message)}</p>
<button type="button" class="secondary" data-testid="kkiapay-close" onclick="window.parent.postMessage({name:'CLOSE_WIDGET',data:{}},'*')">${esc(t.close)}</button></div>`;
  const page = htmlPage({ brand: KKIAPAY_BRAND, lang, title: t.badConfig, body });
  return new Response(page.body, { status, headers: page.headers });
}
