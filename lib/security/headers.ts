/**
 * The security headers (README, "Security"). The static ones go on every response but the
 * simulators' (next.config.ts); the Content-Security-Policy, which carries a fresh nonce, and HSTS,
 * which depends on the runtime APP_URL, are set by the proxy on every page (proxy.ts).
 */
export const STATIC_SECURITY_HEADERS: { key: string; value: string }[] = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), usb=(), browsing-topics=()" },
];

/** Only over https: a browser that has seen it refuses plain http to the host for a year. */
export function strictTransportSecurity(appUrl: string): string | null {
  return new URL(appUrl).protocol === "https:" ? "max-age=31536000" : null;
}

/** The real KKiaPay widget: its script (cdn.kkiapay.me/k.js) and the iframe it opens (PROVIDERS.md §3.1). */
const KKIAPAY = { script: "https://cdn.kkiapay.me", frame: "https://widget-v3.kkiapay.me", api: "https://*.kkiapay.me" };

/**
 * Pages of the merchant's side (dashboard, sign-in, invitations) run only our own code. The
 * shopper's side (home, storefronts, checkout, payment links, order pages) may open the KKiaPay
 * widget: the order page does, and the shopper reaches it from the others without reloading (a
 * client-side navigation keeps the first page's policy), so they all allow its hosts.
 */
export function isMerchantPage(path: string): boolean {
  return /^\/(dashboard|login|invite|signup|stores)(\/|$)/.test(path);
}

export type CspOptions = {
  nonce: string;
  path: string;
  appUrl: string;
  /** Where sandbox accounts load the widget simulator from, when it is not this app. */
  sandboxUrl?: string;
  dev: boolean;
};

export function contentSecurityPolicy(o: CspOptions): string {
  const app = new URL(o.appUrl).origin;
  const shopper = !isMerchantPage(o.path);
  const sandbox = o.sandboxUrl && new URL(o.sandboxUrl).origin !== app ? [new URL(o.sandboxUrl).origin] : [];
  const widgetScript = shopper ? [KKIAPAY.script, ...sandbox] : [];
  const directives: [string, string[]][] = [
    ["default-src", ["'self'"]],
    // No 'strict-dynamic': it would let our scripts load others from any host; the widget's is named.
    ["script-src", ["'self'", `'nonce-${o.nonce}'`, ...(o.dev ? ["'unsafe-eval'"] : []), ...widgetScript]],
    // Style attributes (chart bars, the widget's overlay) cannot carry a nonce; styles run no code.
    ["style-src", ["'self'", "'unsafe-inline'", ...(shopper ? [KKIAPAY.script] : [])]],
    ["img-src", ["'self'", "data:", "blob:", ...(shopper ? ["https:"] : [])]],
    ["font-src", ["'self'"]],
    ["connect-src", ["'self'", ...(shopper ? [KKIAPAY.api, ...sandbox] : [])]],
    // The widget's iframe: KKiaPay's, or the simulator's (this app, or SANDBOX_URL).
    ["frame-src", shopper ? ["'self'", KKIAPAY.frame, ...sandbox] : ["'none'"]],
    ["object-src", ["'none'"]],
    ["base-uri", ["'none'"]],
    // A payment leaves for the provider's page by a form (iPay) or by a redirect answering a
    // form (a checkout without JavaScript), to hosts that depend on the provider and the mode.
    ...(shopper ? [] : ([["form-action", ["'self'"]]] as [string, string[]][])),
    ["frame-ancestors", ["'none'"]],
    ...(app.startsWith("https:") ? ([["upgrade-insecure-requests", []]] as [string, string[]][]) : []),
  ];
  return directives.map(([name, values]) => [name, ...values].join(" ")).join("; ");
}

/**
 * The headers of a simulator's answer: the widget's pages (the widget and the forms it posts
 * inside its iframe) are framed by the app's checkout, nothing else is.
 */
export function sandboxHeaders(path: string, appUrl: string): Record<string, string> {
  const common = Object.fromEntries(STATIC_SECURITY_HEADERS.filter((h) => h.key !== "X-Frame-Options").map((h) => [h.key, h.value]));
  if (/^\/sandbox\/kkiapay\/widget(\/|$)/.test(path)) return { ...common, "Content-Security-Policy": `frame-ancestors 'self' ${new URL(appUrl).origin}` };
  return { ...common, "X-Frame-Options": "DENY", "Content-Security-Policy": "frame-ancestors 'none'" };
}
