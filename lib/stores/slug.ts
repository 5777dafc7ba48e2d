/**
 * A store's slug is the first segment of its shop's URL (`/chez-awa`), so it must never shadow a
 * route of the app. Every top-level segment the app serves is reserved (a test reads app/ and
 * public/ and fails when a new one is missing here), and so are names a visitor would take for
 * ours.
 */
export const APP_SEGMENTS = ["api", "checkout", "dashboard", "dev", "forgot-password", "invite", "login", "orders", "pay", "products", "reset-password", "sandbox", "signup", "stores"] as const;
const OTHER_RESERVED = [
  "_next", "account", "accounts", "admin", "app", "assets", "auth", "caisse", "favicon", "health", "help", "legal",
  "logout", "new", "password", "privacy", "register", "reset", "robots", "settings", "signin", "sitemap", "static", "status",
  "support", "terms", "webhooks", "www",
];
const RESERVED = new Set<string>([...APP_SEGMENTS, ...OTHER_RESERVED]);

export const SLUG_MAX = 40;
/** 3 to 40 lowercase letters, digits and inner hyphens (the database checks the same alphabet). */
export const SLUG_FORMAT = /^[a-z0-9](?:[a-z0-9-]{1,38})[a-z0-9]$/;

export function isReservedSlug(slug: string): boolean {
  return RESERVED.has(slug);
}

// Letters NFKD does not take apart.
const LIGATURES: Record<string, string> = { œ: "oe", æ: "ae", ß: "ss", ø: "o", đ: "d", ł: "l" };

/** The slug proposed for a store's name: "Chez Awa" → "chez-awa", "Café d'Été" → "cafe-d-ete". Pure: runs in the browser too. */
export function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[œæßøđł]/g, (c) => LIGATURES[c] ?? c)
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+/, "")
    .slice(0, SLUG_MAX)
    .replace(/-+$/, "");
}
