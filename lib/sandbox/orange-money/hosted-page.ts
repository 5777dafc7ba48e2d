import { esc, faultsFromForm, faultsPanel, htmlPage, pageLang, refusedReturn, type Brand, type SandboxLang } from "../html";
import { getAccountFaults, mergeFaults } from "../faults";
import { followable, targetsOf, type Targets } from "../targets";
import type { SandboxDeps } from "../types";
import { nowOf } from "./clock";
import { pageText, type PageText } from "./i18n";
import { newTxnId, notifyInBackground } from "./notifications";
import { findByPayToken, recordCancel, recordTransition, type OmTransaction } from "./store";

const BRAND: Brand = { name: "Orange Money", primary: "#ff7900", onPrimary: "#000000", accent: "#000000" };

/** The sandbox test codes: any 4 digits pass, except this one, which fails the payment. */
export const FAILING_OTP = "0000";

type FormState = { msisdn?: string; outcome?: string; error?: string };

function withStatus(res: Response, status: number): Response {
  return new Response(res.body, { status, headers: res.headers });
}

function pagePath(txn: OmTransaction): string {
  return `/sandbox/orange-money/payment/pay_token/${txn.token}`;
}

/** The merchant's return_url or cancel_url, with the origin it may lead to (targets.ts). */
type Back = { url: string; targets: Targets };

function message(lang: SandboxLang, title: string, text: string, status: number, back?: Back): Response {
  const target = back && followable(back.url, back.targets);
  const link = target ? `<a class="btn secondary" href="${esc(target)}" data-testid="om-back">${esc(pageText(lang).back)}</a>` : "";
  const refused = back && !target ? refusedReturn(lang, back.url) : "";
  return withStatus(htmlPage({ brand: BRAND, lang, title, body: `<div class="card"><h1>${esc(title)}</h1><p data-testid="om-message">${esc(text)}</p>${link}</div>${refused}` }), status);
}

/** Orange's 303 back to the merchant, when the sandbox may follow the URL; else a page naming it. */
function sendBack(lang: SandboxLang, back: Back): Response {
  const target = followable(back.url, back.targets);
  return target ? Response.redirect(target, 303) : htmlPage({ brand: BRAND, lang, title: pageText(lang).title, body: refusedReturn(lang, back.url) });
}

function formatAmount(amount: number, currency: string, lang: SandboxLang): string {
  return `${new Intl.NumberFormat(lang === "fr" ? "fr-FR" : "en-GB").format(amount)} ${currency}`;
}

function paymentForm(txn: OmTransaction, lang: SandboxLang, t: PageText, form: FormState): string {
  const until = txn.expiresAt ? txn.expiresAt.toISOString().slice(11, 16) + " UTC" : "";
  const checked = (value: string) => ((form.outcome ?? "SUCCESS") === value ? " checked" : "");
  const error = form.error ? `<p class="error" role="alert" data-testid="om-error">${esc(form.error)}</p>` : "";
  return `<div class="card">
<h1>${esc(t.title)}</h1>
<p class="muted">${esc(t.merchant)} : <strong>${esc(txn.request.reference)}</strong><br>${esc(t.order)} : ${esc(txn.merchantReference)}</p>
<p class="muted">${esc(t.amount)}</p>
<p class="amount" data-testid="om-amount">${esc(formatAmount(txn.amountMinor, txn.currency, lang))}</p>
<p class="muted">${esc(t.validUntil(until))}</p>
</div>
<form class="card" method="post" action="${esc(`${pagePath(txn)}?lang=${lang}`)}">
${error}
<label for="msisdn">${esc(t.msisdn)}</label>
<input id="msisdn" name="msisdn" type="tel" autocomplete="tel" inputmode="tel" required aria-describedby="msisdn-hint" value="${esc(form.msisdn ?? "")}" data-testid="om-msisdn">
<p id="msisdn-hint" class="muted">${esc(t.msisdnHint)}</p>
<label for="otp">${esc(t.otp)}</label>
<input id="otp" name="otp" type="password" autocomplete="one-time-code" inputmode="numeric" pattern="[0-9]{4}" maxlength="4" required aria-describedby="otp-hint" data-testid="om-otp">
<p id="otp-hint" class="muted">${esc(t.otpHint)}</p>
<fieldset><legend>${esc(t.outcome)}</legend>
<label class="choice"><input type="radio" name="outcome" value="SUCCESS"${checked("SUCCESS")} data-testid="om-outcome-success"> ${esc(t.success)}</label>
<label class="choice"><input type="radio" name="outcome" value="FAILED"${checked("FAILED")} data-testid="om-outcome-failed"> ${esc(t.failed)}</label>
</fieldset>
${faultsPanel(lang)}
<button type="submit" class="primary" data-testid="om-confirm">${esc(t.confirm)}</button>
<a class="btn secondary" href="${esc(`${pagePath(txn)}/cancel`)}" data-testid="om-cancel">${esc(t.cancel)}</a>
</form>`;
}

function renderPayment(txn: OmTransaction, url: URL, form: FormState = {}): Response {
  const lang = pageLang(url, txn.request.lang);
  const t = pageText(lang);
  // Orange's `reference` is the merchant's name as the shopper should see it (PROVIDERS.md §2).
  return htmlPage({ brand: BRAND, lang, title: t.title, body: paymentForm(txn, lang, t, form), langSwitchUrl: `${pagePath(txn)}?lang=${lang === "fr" ? "en" : "fr"}`, merchant: String(txn.request.reference ?? "") || undefined });
}

function readForm(form: URLSearchParams, t: PageText): { msisdn: string; otp: string; outcome: "SUCCESS" | "FAILED" } | FormState {
  const msisdn = (form.get("msisdn") ?? "").replace(/[\s.-]/g, "");
  const otp = form.get("otp") ?? "";
  const outcome = form.get("outcome") ?? "";
  if (!/^\+?\d{8,15}$/.test(msisdn)) return { msisdn, outcome, error: t.badMsisdn };
  if (!/^\d{4}$/.test(otp)) return { msisdn, outcome, error: t.badOtp };
  if (outcome !== "SUCCESS" && outcome !== "FAILED") return { msisdn, outcome, error: t.badOutcome };
  return { msisdn: msisdn.replace(/^\+/, ""), otp, outcome };
}

/** GET: the payment page. POST: "Confirmer". GET …/cancel: back to cancel_url, still INITIATED. */
export async function handlePaymentPage(req: Request, payToken: string, action: string | undefined, deps: SandboxDeps): Promise<Response | null> {
  if (action !== undefined && action !== "cancel") return null;
  const url = new URL(req.url);
  const txn = await findByPayToken(deps, payToken);
  if (!txn) {
    const lang = pageLang(url);
    return message(lang, pageText(lang).title, pageText(lang).notFound, 404);
  }
  const lang = pageLang(url, txn.request.lang);
  const t = pageText(lang);
  const back: Back = { url: txn.request.return_url, targets: targetsOf(deps) };
  if (action === "cancel") {
    if (txn.status === "INITIATED") await recordCancel(deps, txn, nowOf(deps));
    return sendBack(lang, { ...back, url: txn.request.cancel_url });
  }
  if (txn.status !== "INITIATED") return message(lang, t.title, t.done(txn.status), 409, back);
  if (req.method === "GET") return renderPayment(txn, url);
  if (req.method !== "POST") return withStatus(renderPayment(txn, url), 405);

  const form = new URLSearchParams(await req.text());
  const input = readForm(form, t);
  if (!("otp" in input)) return withStatus(renderPayment(txn, url, input), 400);
  const paymentFaults = faultsFromForm(form);
  const now = nowOf(deps);
  if (txn.expiresAt && now.getTime() > txn.expiresAt.getTime()) {
    // A confirmation after the pay_token's 10 minutes is the only way to EXPIRED; no notification.
    await recordTransition(deps, txn, { status: "EXPIRED", at: now, phone: input.msisdn, faults: paymentFaults });
    return message(lang, t.expiredTitle, t.expired, 410, back);
  }
  const pending = await recordTransition(deps, txn, { status: "PENDING", at: now, phone: input.msisdn, faults: paymentFaults });
  if (!pending) return message(lang, t.title, t.done("PENDING"), 409, back);
  const status = input.otp === FAILING_OTP ? "FAILED" : input.outcome;
  const txnid = newTxnId(now);
  const final = await recordTransition(deps, pending, { status, at: nowOf(deps), txnid });
  if (!final) throw new Error(`orange-money sandbox: ${txn.merchantReference} left PENDING behind our back`);
  const faults = mergeFaults(await getAccountFaults(deps, "orange-money", txn.accountId), paymentFaults);
  notifyInBackground(deps, final, status, txnid, faults);
  return sendBack(lang, back);
}
