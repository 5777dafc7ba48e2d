import { formatMoney } from "@/lib/money";
import { esc, faultsFromForm, faultsPanel, pageLang, type SandboxLang } from "../html";
import type { SandboxDeps } from "../types";
import { notifyMerchant } from "./callback";
import { STK_FAILURES, type StkFailure } from "./codes";
import { messages } from "./i18n";
import { failPush, settle } from "./outcomes";
import { errorPage, otherLangUrl, page, SANDBOX_BASE } from "./page";
import { expireIfStale, normalizeMsisdn } from "./push";
import { findByToken, findPushesFor, type Session } from "./store";
import { faultsFor } from "./wire";
const ACTIONS = ["approve", "cancelled", "wrong_pin", "insufficient", "timed_out"] as const;
type Action = (typeof ACTIONS)[number];

/**
 * /phone/<msisdn>: a stand-in for the shopper's handset, listing the STK prompts sent to that
 * number. The tester types a PIN and approves, declines, or lets the prompt die.
 */
export async function handlePhone(req: Request, path: string[], deps: SandboxDeps): Promise<Response | null> {
  if (path.length !== 1 || !path[0]) return null;
  const url = new URL(req.url);
  const lang = pageLang(url);
  const msisdn = normalizeMsisdn(decodedSegment(path[0]));
  if (!msisdn) return errorPage(lang, messages(lang).badPhone, 404);
  if (req.method === "GET") return showPhone(deps, msisdn, lang, url);
  if (req.method === "POST") return answer(req, deps, msisdn, lang, url);
  return null;
}

/** A segment that does not decode (%C3%28) is no phone number: "", never a thrown URIError (a 500). */
function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return "";
  }
}

async function pendingPushes(deps: SandboxDeps, msisdn: string): Promise<Session[]> {
  const live: Session[] = [];
  for (const found of await findPushesFor(deps, msisdn)) {
    const { session, expired } = await expireIfStale(deps, found);
    if (expired) await announce(deps, session);
    else live.push(session);
  }
  return live;
}

async function announce(deps: SandboxDeps, session: Session): Promise<void> {
  if (session.request.cbk) notifyMerchant(deps, session, await faultsFor(deps, session.accountId, session.faults));
}

async function showPhone(deps: SandboxDeps, msisdn: string, lang: SandboxLang, url: URL, error?: string): Promise<Response> {
  const t = messages(lang);
  const pushes = await pendingPushes(deps, msisdn);
  const done = url.searchParams.get("done");
  const notice = done ? `<p class="card" role="status" data-testid="ipay-phone-done">${esc(t.done)}: ${esc(done)}</p>` : "";
  // A handset shows one SIM-toolkit prompt at a time: the newest; older ones wait behind it.
  const [current, ...queued] = pushes;
  const list = current
    ? pushCard(current, msisdn, lang) + (queued.length ? `<p class="muted" data-testid="ipay-phone-queued">+${queued.length} ${esc(t.queued)}</p>` : "")
    : `<p class="card muted" data-testid="ipay-phone-empty">${esc(t.phoneEmpty)}</p>`;
  const body = `<p class="muted">${esc(t.phoneTitle)} <strong>${esc(msisdn)}</strong></p>${notice}${error ? `<p class="error" role="alert">${esc(error)}</p>` : ""}${list}`;
  return page(lang, t.phoneTitle, body, otherLangUrl(url, lang), error ? 400 : 200);
}

function pushCard(session: Session, msisdn: string, lang: SandboxLang): string {
  const t = messages(lang);
  const pinId = `pin-${session.token}`;
  const expires = session.state.push?.expiresAt ? new Date(session.state.push.expiresAt).toISOString().slice(11, 19) : "";
  return `<form class="card" method="post" action="${SANDBOX_BASE}/phone/${esc(msisdn)}?lang=${lang}" data-testid="ipay-push" data-sid="${esc(session.token)}">
  <p><strong>${esc(t.pushFrom)}</strong></p>
  <p class="muted">${esc(session.accountId)} · ${esc(session.merchantReference)}</p>
  <p class="amount">${esc(formatMoney(session.amountMinor, session.currency, lang))}</p>
  <p class="muted">${esc(t.expiresIn)} ${esc(expires)} UTC</p>
  <input type="hidden" name="sid" value="${esc(session.token)}">
  <label for="${esc(pinId)}">${esc(t.pin)}</label>
  <input id="${esc(pinId)}" name="pin" type="password" inputmode="numeric" pattern="[0-9]{4}" maxlength="4" autocomplete="off" data-testid="ipay-phone-pin">
  <button class="primary" type="submit" name="action" value="approve" data-testid="ipay-phone-approve">${esc(t.approve)}</button>
  <button class="secondary" type="submit" name="action" value="cancelled" data-testid="ipay-phone-decline">${esc(t.decline)}</button>
  <details><summary>${esc(t.otherOutcomes)}</summary>
    <button class="secondary" type="submit" name="action" value="wrong_pin" data-testid="ipay-phone-wrong-pin">${esc(t.wrongPin)}</button>
    <button class="secondary" type="submit" name="action" value="insufficient" data-testid="ipay-phone-insufficient">${esc(t.insufficient)}</button>
    <button class="secondary" type="submit" name="action" value="timed_out" data-testid="ipay-phone-timeout">${esc(t.timeout)}</button>
  </details>
  ${faultsPanel(lang)}
</form>`;
}

async function answer(req: Request, deps: SandboxDeps, msisdn: string, lang: SandboxLang, url: URL): Promise<Response> {
  const form = new URLSearchParams(await req.text());
  const action = form.get("action") as Action | null;
  const found = await findByToken(deps, form.get("sid") ?? "");
  if (!found || found.phone !== msisdn || !action || !ACTIONS.includes(action)) return errorPage(lang, messages(lang).unknownSession, 404);
  const { session, expired } = await expireIfStale(deps, found);
  if (expired) await announce(deps, session);
  if (session.status !== "awaiting_pin") return errorPage(lang, messages(lang).alreadyDone, 409);
  if (action === "approve" && !/^\d{4}$/.test(form.get("pin") ?? "")) return showPhone(deps, msisdn, lang, url, messages(lang).pinRequired);

  const faults = { ...session.faults, ...faultsFromForm(form) };
  const settled =
    action === "approve"
      ? await settle(deps, session, "paid", { name: "JOHN DOE", phone: msisdn, channel: "mpesa" }, faults)
      : await failPush(deps, session, action satisfies StkFailure, faults);
  if (!settled) return errorPage(lang, messages(lang).alreadyDone, 409);
  await announce(deps, settled);
  const done = action === "approve" ? "approved" : STK_FAILURES[action];
  return new Response(null, { status: 303, headers: { location: `${SANDBOX_BASE}/phone/${msisdn}?lang=${lang}&done=${encodeURIComponent(done)}` } });
}
