import type { Db } from "@/db/client";
import { localeFromAcceptLanguage, LOCALE_COOKIE, isLocale } from "@/lib/i18n/locale";
import { keptMessage, keptMessages } from "./outbox";

/**
 * /dev/outbox as plain Request → Response functions (Next's route files call them): in
 * development without SMTP_URL, what would have been sent. Production has no such page: its
 * route passes null, and nothing is read.
 */
export type OutboxDeps = { db: Db; encryptionKey: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const notFound = () => new Response("Not Found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
/** The text version with its links made clickable (escaped first, so nothing else becomes markup). */
const linkified = (text: string) => escapeHtml(text).replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`);

const WORDS = {
  fr: { title: "Boîte d’envoi (développement)", lead: "Sans SMTP_URL, les e-mails ne partent pas : les voici, tels qu’ils auraient été envoyés.", empty: "Aucun e-mail pour le moment.", to: "À", html: "Version HTML" },
  en: { title: "Outbox (development)", lead: "Without SMTP_URL, e-mails are not sent: here they are, as they would have been.", empty: "No e-mail yet.", to: "To", html: "HTML version" },
};

function localeOf(req: Request) {
  const cookie = req.headers.get("cookie")?.match(new RegExp(`(?:^|; )${LOCALE_COOKIE}=([^;]+)`))?.[1];
  return isLocale(cookie) ? cookie : localeFromAcceptLanguage(req.headers.get("accept-language"));
}

const page = (lang: string, title: string, body: string) =>
  new Response(
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title></head><body style="font-family:system-ui,sans-serif;max-width:760px;margin:0 auto;padding:16px">${body}</body></html>`,
    { headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "referrer-policy": "no-referrer" } },
  );

export async function outboxListResponse(deps: OutboxDeps | null, req: Request): Promise<Response> {
  if (!deps) return notFound();
  const lang = localeOf(req);
  const w = WORDS[lang];
  const messages = await keptMessages(deps.db, deps.encryptionKey);
  const items = messages.map(
    (m) => `<article data-testid="outbox-message" style="border:1px solid #ddd;border-radius:8px;padding:12px;margin:12px 0">
<h2 style="font-size:16px;margin:0 0 4px">${escapeHtml(m.subject)}</h2>
<p style="margin:0 0 8px;color:#555;font-size:13px">${w.to}: ${escapeHtml(m.to)} · ${escapeHtml(m.createdAt.toISOString())} · <a href="/dev/outbox/${m.id}">${w.html}</a></p>
<pre style="white-space:pre-wrap;word-break:break-word;font:inherit;margin:0">${linkified(m.text)}</pre>
</article>`,
  );
  return page(lang, w.title, `<h1>${w.title}</h1><p>${w.lead}</p>${items.length ? items.join("\n") : `<p>${w.empty}</p>`}`);
}

/** One kept message's HTML version, as a mail client would show it (its own document: no script runs in it). */
export async function outboxMessageResponse(deps: OutboxDeps | null, id: string): Promise<Response> {
  if (!deps || !UUID.test(id)) return notFound();
  const message = await keptMessage(deps.db, deps.encryptionKey, id);
  if (!message) return notFound();
  return new Response(message.html, {
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "referrer-policy": "no-referrer", "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:" },
  });
}
