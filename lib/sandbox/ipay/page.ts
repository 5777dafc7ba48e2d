import { esc, htmlPage, type Brand, type SandboxLang } from "../html";
import { messages } from "./i18n";

/** Where the simulator's own pages live, for links and form actions. */
export const SANDBOX_BASE = "/sandbox/ipay";

/** iPay's navy and orange. */
export const IPAY_BRAND: Brand = { name: "iPay Africa", primary: "#12355b", onPrimary: "#ffffff", accent: "#f7941d" };

export function page(lang: SandboxLang, title: string, body: string, langSwitchUrl?: string, status = 200, merchant?: string): Response {
  const res = htmlPage({ brand: IPAY_BRAND, lang, title, body, langSwitchUrl, merchant });
  return status === 200 ? res : new Response(res.body, { status, headers: res.headers });
}

/** iPay answers a bad checkout request with an HTML error page, not JSON. */
export function errorPage(lang: SandboxLang, message: string, status = 400): Response {
  const t = messages(lang);
  return page(lang, t.errorTitle, `<div class="card" role="alert"><p class="error" data-testid="ipay-error">${esc(message)}</p></div>`, undefined, status);
}

/** The same URL in the other language, for the header's switch. */
export function otherLangUrl(url: URL, lang: SandboxLang): string {
  const next = new URL(url);
  next.searchParams.set("lang", lang === "fr" ? "en" : "fr");
  return `${next.pathname}${next.search}`;
}
