import { formatMoney } from "@/lib/money";
import { esc, faultsPanel, htmlPage, refusedReturn, type Brand, type SandboxLang } from "@/lib/sandbox/html";
import { followable, type Targets } from "@/lib/sandbox/targets";
import { CANCEL, REFUSAL_CODES } from "./answers";
import { texts } from "./i18n";
import { stateOf, type Txn } from "./store";

const BRAND: Brand = { name: "CinetPay", primary: "#0b7a43", onPrimary: "#ffffff", accent: "#f59e0b" };

/** payment_method values CinetPay reports (PROVIDERS.md §1.4), as the tester picks them. */
export const WIRE_METHODS = { OM: "Orange Money", MOMO: "MTN Mobile Money", FLOOZ: "Moov Money (Flooz)", WAVE: "Wave", CARD: "" } as const;
export type WireMethod = keyof typeof WIRE_METHODS;

/** The channel each method is filed under (Wave: MOBILE_MONEY in some countries, WALLET in others). */
const CHANNELS_OF: Record<WireMethod, readonly string[]> = { OM: ["MOBILE_MONEY"], MOMO: ["MOBILE_MONEY"], FLOOZ: ["MOBILE_MONEY"], WAVE: ["MOBILE_MONEY", "WALLET"], CARD: ["CREDIT_CARD"] };

/**
 * What the page offers: only the methods of the channels the merchant asked for (`ALL`: every
 * one). The v2 init names no operator, so the page never picks one for the shopper; it only
 * checks the method when it is the only one offered.
 */
export function offeredMethods(txn: Txn): WireMethod[] {
  const asked = String(txn.request.channels ?? "ALL")
    .split(",")
    .map((c) => c.trim());
  return (Object.keys(WIRE_METHODS) as WireMethod[]).filter((m) => asked.includes("ALL") || CHANNELS_OF[m].some((c) => asked.includes(c)));
}

/** `lock_phone_number` with `customer_phone_number`: the page pays from that number, not another. */
export function lockedPhone(txn: Txn): string | null {
  return txn.request.lock_phone_number === true ? String(txn.request.customer_phone_number ?? "") : null;
}

export function pagePath(txn: Txn, suffix = ""): string {
  return `/sandbox/cinetpay/payment/${encodeURIComponent(txn.token)}${suffix}`;
}

function page(txn: Txn | null, lang: SandboxLang, title: string, body: string, status = 200): Response {
  const other = lang === "fr" ? "en" : "fr";
  const res = htmlPage({ brand: BRAND, lang, title, body, langSwitchUrl: txn ? `${pagePath(txn)}?lang=${other}` : undefined, merchant: txn ? stateOf(txn).merchantName : undefined });
  return status === 200 ? res : new Response(res.body, { status, headers: res.headers });
}

function summary(txn: Txn, lang: SandboxLang): string {
  const t = texts(lang);
  return `<section class="card" aria-label="${esc(t.amount)}">
<p class="muted">${esc(t.merchant)} <strong data-testid="merchant-name">${esc(stateOf(txn).merchantName)}</strong></p>
<p class="muted">${esc(t.amount)}</p>
<p class="amount" data-testid="amount">${esc(formatMoney(txn.amountMinor, txn.currency, lang))}</p>
<p data-testid="description">${esc(txn.request.description)}</p>
<p class="muted">${esc(t.reference)} ${esc(txn.merchantReference)}</p>
</section>`;
}

function failureSelect(id: string, lang: SandboxLang, testId: string): string {
  const options = Object.entries(REFUSAL_CODES)
    .map(([code, message]) => `<option value="${code}">${code} ${esc(message)}</option>`)
    .join("");
  return `<label for="${id}">${esc(texts(lang).failureCode)}</label><select id="${id}" name="failure_code" data-testid="${testId}">${options}</select>`;
}

export function paymentPage(txn: Txn, lang: SandboxLang, error?: string): Response {
  const t = texts(lang);
  const phone = String(txn.request.customer_phone_number ?? "");
  const locked = lockedPhone(txn) !== null;
  const offered = offeredMethods(txn);
  const methods = offered
    .map(
      (m) =>
        `<label class="choice"><input type="radio" name="method" value="${m}" data-testid="method-${m}"${offered.length === 1 ? " checked" : ""} required> ${esc(m === "CARD" ? t.card : WIRE_METHODS[m])}</label>`,
    )
    .join("");
  const outcomes = (["accepted", "refused", "waiting"] as const)
    .map((o, i) => `<label class="choice"><input type="radio" name="outcome" value="${o}" data-testid="outcome-${o}"${i === 0 ? " checked" : ""}> ${esc(t[o])}</label>`)
    .join("");
  const body = `${summary(txn, lang)}
${error ? `<p class="error" role="alert" data-testid="form-error">${esc(error)}</p>` : ""}
<form method="post" action="${esc(pagePath(txn))}?lang=${lang}" class="card">
<fieldset><legend>${esc(t.method)}</legend>${methods}</fieldset>
<label for="phone">${esc(t.phone)}</label>
<input id="phone" name="phone" type="tel" inputmode="numeric" autocomplete="tel-national" value="${esc(phone)}"${locked ? " readonly" : ""} aria-describedby="phone-hint" data-testid="phone">
<p id="phone-hint" class="muted">${esc(t.phoneHint)}</p>
<fieldset><legend>${esc(t.outcome)}</legend>${outcomes}</fieldset>
${failureSelect("failure_code", lang, "failure-code")}
${faultsPanel(lang)}
<button type="submit" name="action" value="pay" class="primary" data-testid="pay-submit">${esc(t.pay)}</button>
<button type="submit" name="action" value="cancel" class="secondary" formnovalidate data-testid="pay-cancel">${esc(t.cancel)}</button>
</form>`;
  return page(txn, lang, t.title, body, error ? 422 : 200);
}

export function waitingPage(txn: Txn, lang: SandboxLang): Response {
  const t = texts(lang);
  const body = `${summary(txn, lang)}
<form method="post" action="${esc(pagePath(txn, "/confirm"))}?lang=${lang}" class="card">
<h1 data-testid="waiting-title">${esc(t.waitingTitle)}</h1>
<p>${esc(t.waitingText)}</p>
<button type="submit" name="decision" value="accepted" class="primary" data-testid="waiting-approve">${esc(t.approve)}</button>
${failureSelect("waiting_failure_code", lang, "waiting-failure-code")}
<button type="submit" name="decision" value="refused" class="danger" data-testid="waiting-decline">${esc(t.decline)}</button>
</form>`;
  return page(txn, lang, t.waitingTitle, body);
}

/**
 * After the outcome CinetPay sends the shopper back with a browser POST of transaction_id and
 * token to return_url; the form submits itself after a pause, or at once on a click (the only
 * way without JavaScript, where the page says nothing of a return that will not come). Only to a
 * return_url the sandbox may follow (targets.ts): any other is named, never submitted to.
 */
export function resultPage(txn: Txn, lang: SandboxLang, targets: Targets): Response {
  const t = texts(lang);
  const state = stateOf(txn);
  const title = txn.status === "ACCEPTED" ? t.resultAccepted : state.code === CANCEL.code ? t.resultCancelled : t.resultRefused;
  const target = followable(txn.request.return_url, targets);
  const back = target
    ? `<form id="return-form" method="post" action="${esc(target)}">
<input type="hidden" name="transaction_id" value="${esc(txn.merchantReference)}">
<input type="hidden" name="token" value="${esc(txn.token)}">
<button type="submit" class="primary" data-testid="return-to-merchant">${esc(t.returnToMerchant)}</button>
</form>
<p class="muted" id="auto-return" hidden>${esc(t.autoReturn)}</p>`
    : "";
  const body = `${summary(txn, lang)}
<section class="card">
<h1 data-testid="result-title" data-status="${esc(txn.status)}">${esc(title)}</h1>
<p class="muted" data-testid="result-code">${esc(state.code)} ${esc(state.message)}</p>
${back}
</section>
${target ? `<script>document.getElementById("auto-return").hidden=false;setTimeout(function(){document.getElementById("return-form").submit()},10000)</script>` : refusedReturn(lang, txn.request.return_url)}`;
  return page(txn, lang, title, body);
}

export function notFoundPage(lang: SandboxLang): Response {
  const t = texts(lang);
  return page(null, lang, t.title, `<section class="card"><p class="error" data-testid="not-found">${esc(t.notFound)}</p></section>`, 404);
}
