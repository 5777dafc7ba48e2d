/**
 * Hosted pages of the simulators are plain server-rendered HTML with inline CSS: no client
 * bundle, like the providers' own pages on a phone. Each page wears its provider's colours and
 * a SANDBOX ribbon so nobody mistakes it for the real thing.
 */
export type Brand = { name: string; primary: string; onPrimary: string; accent?: string };

const escapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function esc(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => escapes[c]!);
}

export type SandboxLang = "fr" | "en";

/** French unless the page was asked for in English (?lang=en, or the payment's language). */
export function pageLang(url: URL, fallback?: string): SandboxLang {
  const asked = url.searchParams.get("lang") ?? fallback;
  return asked === "en" ? "en" : "fr";
}

/** `merchant`: whose payment this is, first in the tab's title as on the merchant's own pages. */
export function htmlPage(opts: { brand: Brand; lang: SandboxLang; title: string; body: string; langSwitchUrl?: string; merchant?: string }): Response {
  const { brand, lang } = opts;
  const ribbon = lang === "fr" ? "SANDBOX — aucun argent réel" : "SANDBOX — no real money";
  const other = lang === "fr" ? "English" : "Français";
  const html = `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${opts.merchant ? `${esc(opts.merchant)} — ` : ""}${esc(opts.title)} · ${esc(brand.name)} (sandbox)</title>
<style>
*{box-sizing:border-box}body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;background:#f4f4f5;color:#18181b}
.ribbon{background:#facc15;color:#422006;text-align:center;font-weight:700;font-size:13px;padding:6px;letter-spacing:.04em}
header{background:${brand.primary};color:${brand.onPrimary};padding:14px 16px;display:flex;justify-content:space-between;align-items:center}
header strong{font-size:18px}header a{color:${brand.onPrimary};font-size:14px}
main{max-width:440px;margin:0 auto;padding:16px}
.card{background:#fff;border-radius:12px;padding:16px;box-shadow:0 1px 3px rgba(0,0,0,.08);margin-bottom:12px}
.amount{font-size:28px;font-weight:800;margin:4px 0}
.muted{color:#52525b;font-size:14px}
label{display:block;font-weight:600;margin:12px 0 4px}
input,select{width:100%;min-height:44px;font-size:16px;padding:8px 10px;border:1px solid #a1a1aa;border-radius:8px;background:#fff}
button,.btn{display:flex;align-items:center;justify-content:center;width:100%;min-height:48px;margin-top:10px;border:0;border-radius:10px;font-size:16px;font-weight:700;cursor:pointer;text-align:center;text-decoration:none;line-height:1.25;padding:8px 12px}
.primary{background:${brand.primary};color:${brand.onPrimary}}
.secondary{background:#fff;color:#18181b;border:1px solid #a1a1aa}
.danger{background:#b91c1c;color:#fff}
fieldset{border:1px solid #e4e4e7;border-radius:10px;margin:12px 0;padding:8px 12px}
legend{font-weight:700;padding:0 4px}
.choice{display:flex;gap:8px;align-items:center;font-weight:500;margin:8px 0}.choice input{width:auto;min-height:0}
details summary{cursor:pointer;font-weight:600;min-height:44px;padding:10px 0;line-height:1.4}
.error{color:#b91c1c;font-weight:600}
code{overflow-wrap:anywhere}
:focus-visible{outline:3px solid ${brand.accent ?? "#2563eb"};outline-offset:2px}
</style>
</head>
<body>
<div class="ribbon" role="note">${ribbon}</div>
<header><strong>${esc(brand.name)}</strong>${opts.langSwitchUrl ? `<a href="${esc(opts.langSwitchUrl)}" lang="${lang === "fr" ? "en" : "fr"}">${other}</a>` : ""}</header>
<main>${opts.body}</main>
</body>
</html>`;
  return new Response(html, { status: 200, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
}

/**
 * What a hosted page shows instead of a redirect, a link or a self-submitting form when the
 * merchant's URL may not be followed (lib/sandbox/targets.ts). The URL is shown as text only.
 */
export function refusedReturn(lang: SandboxLang, url: unknown): string {
  const t =
    lang === "fr"
      ? { title: "Le sandbox ne vous renvoie pas à cette adresse", why: "Elle n'est ni sur l'origine de l'application (APP_URL) ni locale (loopback) : les simulateurs ne redirigent, ne soumettent et ne notifient que ces deux-là." }
      : { title: "The sandbox does not send you to this address", why: "It is neither on the app's origin (APP_URL) nor loopback: the simulators only redirect to, submit to and notify those." };
  return `<div class="card" role="note" data-testid="return-refused"><p class="error">${t.title}</p><p class="muted">${t.why}</p><p><code>${esc(url)}</code></p></div>`;
}

/** The "advanced" panel every hosted page offers: per-payment faults, posted with the outcome. */
export function faultsPanel(lang: SandboxLang): string {
  const t =
    lang === "fr"
      ? { title: "Avancé : simuler une panne", dup: "Notification en double", drop: "Notification perdue", order: "Notifications dans le désordre", tamper: "Montant falsifié dans la notification", delay: "Retard de la notification (secondes)", status: "API de statut", none: "normale", e5: "erreur 5xx", to: "délai dépassé" }
      : { title: "Advanced: simulate a fault", dup: "Duplicate notification", drop: "Dropped notification", order: "Out-of-order notifications", tamper: "Tampered amount in the notification", delay: "Notification delay (seconds)", status: "Status API", none: "normal", e5: "5xx error", to: "timeout" };
  return `<details class="card"><summary>${t.title}</summary>
<label class="choice"><input type="checkbox" name="fault_duplicateNotification" value="1"> ${t.dup}</label>
<label class="choice"><input type="checkbox" name="fault_dropNotification" value="1"> ${t.drop}</label>
<label class="choice"><input type="checkbox" name="fault_outOfOrder" value="1"> ${t.order}</label>
<label class="choice"><input type="checkbox" name="fault_tamperAmount" value="1"> ${t.tamper}</label>
<label for="fault_delay">${t.delay}</label><input id="fault_delay" name="fault_notificationDelaySeconds" type="number" min="0" max="600" inputmode="numeric">
<label for="fault_status">${t.status}</label><select id="fault_status" name="fault_statusApi"><option value="">${t.none}</option><option value="5xx">${t.e5}</option><option value="timeout">${t.to}</option></select>
</details>`;
}

/** Reads the advanced panel's fields back from a submitted form. */
export function faultsFromForm(form: URLSearchParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ["duplicateNotification", "dropNotification", "outOfOrder", "tamperAmount"]) {
    if (form.get(`fault_${key}`) === "1") out[key] = true;
  }
  const delay = Number(form.get("fault_notificationDelaySeconds") || 0);
  if (Number.isInteger(delay) && delay > 0) out.notificationDelaySeconds = Math.min(delay, 600);
  const status = form.get("fault_statusApi");
  if (status === "5xx" || status === "timeout") out.statusApi = status;
  return out;
}
