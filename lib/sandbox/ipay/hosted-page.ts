import { formatMoney } from "@/lib/money";
import { findSandboxAccount, merchantName } from "../accounts";
import { esc, faultsFromForm, faultsPanel, pageLang, type SandboxLang } from "../html";
import { targetsOf } from "../targets";
import type { SandboxDeps } from "../types";
import { browserReturn, notifyMerchant } from "./callback";
import { CHANNELS, HOSTED_OUTCOMES, type Channel, type HostedOutcome } from "./codes";
import { expectedHash, hashMatches } from "./hashes";
import { messages } from "./i18n";
import { settle } from "./outcomes";
import { errorPage, otherLangUrl, page, SANDBOX_BASE } from "./page";
import { readSessionInput, sessionRequest } from "./session-input";
import { findByToken, openSession, type Session } from "./store";
import { faultsFor, guard, missingFields, readParams } from "./wire";

/** /v3/ke and the session pages it leads to (PROVIDERS.md §4.1). */
export async function handleCheckout(req: Request, path: string[], deps: SandboxDeps): Promise<Response | null> {
  if (path.length === 0 && (req.method === "GET" || req.method === "POST")) return openCheckout(req, deps);
  if (path[0] === "session" && path[1] && path.length === 2) {
    if (req.method === "GET") return showSession(req, path[1], deps);
    if (req.method === "POST") return completeSession(req, path[1], deps);
  }
  return null;
}

/** Channel flags the hosted page knows; absent flags mean "whatever the vendor has enabled": all. */
function enabledChannels(p: Record<string, string>): Channel[] {
  const all = Object.keys(CHANNELS) as Channel[];
  const flagged = all.filter((c) => p[CHANNELS[c].flag] !== undefined);
  return flagged.length === 0 ? all : all.filter((c) => p[CHANNELS[c].flag] === "1");
}

async function openCheckout(req: Request, deps: SandboxDeps): Promise<Response> {
  const url = new URL(req.url);
  const p = await readParams(req);
  const lang = pageLang(url, p.lang);
  const t = messages(lang);
  const missing = missingFields(p, ["live", "oid", "ttl", "tel", "vid", "curr", "cbk", "hsh"]);
  if (missing.length) return errorPage(lang, `${t.missing} ${missing.join(", ")}`);
  const account = await findSandboxAccount(deps, "ipay", p.vid ?? "");
  if (!account) return errorPage(lang, `${t.unknownVendor} ${p.vid}`, 401);
  const blocked = await guard(deps, req, account.publicId, "init");
  if (blocked) return blocked;
  // cbk is hashed exactly as received: merchants who URL-encode it first fail here, as on iPay.
  if (!hashMatches(p.hsh, expectedHash("form", p, account.credentials.securityKey ?? ""))) return errorPage(lang, t.badHash, 401);
  const input = readSessionInput(p, "ttl", true);
  if (!input.ok) return errorPage(lang, t[input.error === "badAmount" ? "badTtl" : input.error]);
  const { oid, amountMinor, currency } = input.value;
  const channels = enabledChannels(p);
  if (channels.length === 0) return errorPage(lang, t.noChannel);

  const opened = await openSession(deps, { accountId: account.publicId, oid, amountMinor, currency, request: sessionRequest(p, "hosted", oid, { channels, lang }) });
  if ("conflict" in opened) return errorPage(lang, t.alreadyPaid, 409);
  // Post/redirect/get: a refresh or a language switch must not re-submit the merchant's form.
  return new Response(null, { status: 303, headers: { location: `${SANDBOX_BASE}/v3/ke/session/${opened.session.token}?lang=${lang}` } });
}

function canPay(session: Session): boolean {
  return session.request.flow === "hosted" && (session.status === "initiated" || session.status === "pending");
}

async function showSession(req: Request, sid: string, deps: SandboxDeps): Promise<Response> {
  const url = new URL(req.url);
  const session = await findByToken(deps, sid);
  const lang = pageLang(url, session?.request.lang);
  if (!session) return errorPage(lang, messages(lang).unknownSession, 404);
  if (!canPay(session)) return errorPage(lang, messages(lang).alreadyDone, 409);
  return renderCheckout(deps, session, lang, url);
}

async function renderCheckout(deps: SandboxDeps, session: Session, lang: SandboxLang, url: URL, error?: string): Promise<Response> {
  const t = messages(lang);
  const channels = session.request.channels.filter((c): c is Channel => c in CHANNELS);
  const channelInputs = channels
    .map((c, i) => `<label class="choice"><input type="radio" name="channel" value="${c}" data-testid="ipay-channel-${c}"${i === 0 ? " checked" : ""}> ${esc(t[c])}</label>`)
    .join("");
  const outcomeInputs = HOSTED_OUTCOMES.map(
    (o, i) => `<label class="choice"><input type="radio" name="outcome" value="${o}" data-testid="ipay-outcome-${o}"${i === 0 ? " checked" : ""}> ${esc(t[o])}</label>`,
  ).join("");
  const body = `
<div class="card">
  <p class="muted">${esc(t.payTo)} <strong>${esc(session.accountId)}</strong></p>
  <p class="muted">${esc(t.order)} ${esc(session.merchantReference)}</p>
  <p class="amount" data-testid="ipay-amount">${esc(formatMoney(session.amountMinor, session.currency, lang))}</p>
</div>
${error ? `<p class="error" role="alert">${esc(error)}</p>` : ""}
<form method="post" action="${SANDBOX_BASE}/v3/ke/session/${esc(session.token)}?lang=${lang}">
  <fieldset class="card"><legend>${esc(t.channel)}</legend>${channelInputs}</fieldset>
  <fieldset class="card"><legend>${esc(t.outcome)}</legend>${outcomeInputs}</fieldset>
  <div class="card">
    <label for="payer_name">${esc(t.payerName)}</label>
    <input id="payer_name" name="payer_name" autocomplete="name" value="JOHN DOE">
    <label for="payer_phone">${esc(t.payerPhone)}</label>
    <input id="payer_phone" name="payer_phone" type="tel" inputmode="tel" autocomplete="tel" value="${esc(session.request.tel)}">
  </div>
  ${faultsPanel(lang)}
  <button class="primary" type="submit" data-testid="ipay-submit">${esc(t.submit)}</button>
</form>`;
  const account = await findSandboxAccount(deps, "ipay", session.accountId);
  return page(lang, t.checkoutTitle, body, otherLangUrl(url, lang), error ? 400 : 200, account ? await merchantName(deps, account.merchantId) : undefined);
}

async function completeSession(req: Request, sid: string, deps: SandboxDeps): Promise<Response> {
  const url = new URL(req.url);
  const session = await findByToken(deps, sid);
  const lang = pageLang(url, session?.request.lang);
  if (!session) return errorPage(lang, messages(lang).unknownSession, 404);
  if (!canPay(session)) return errorPage(lang, messages(lang).alreadyDone, 409);
  const form = new URLSearchParams(await req.text());
  const outcome = form.get("outcome") as HostedOutcome | null;
  const channel = form.get("channel") as Channel | null;
  if (!outcome || !HOSTED_OUTCOMES.includes(outcome) || !channel || !session.request.channels.includes(channel)) {
    return renderCheckout(deps, session, lang, url, messages(lang).chooseBoth);
  }
  const paymentFaults = { ...session.faults, ...faultsFromForm(form) };
  const payer = { name: form.get("payer_name") || "JOHN DOE", phone: form.get("payer_phone") || session.request.tel, channel };
  const settled = await settle(deps, session, outcome, payer, paymentFaults);
  if (!settled) return errorPage(lang, messages(lang).alreadyDone, 409);
  const faults = await faultsFor(deps, settled.accountId, settled.faults);
  // With autopay, iPay also calls cbk itself, server to server (PROVIDERS.md §4.1).
  if (settled.request.autopay) notifyMerchant(deps, settled, faults);
  return browserReturn(settled, faults, targetsOf(deps), lang);
}
