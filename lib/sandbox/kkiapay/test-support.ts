import { SEED_MERCHANTS } from "@/db/seed-data";
import { seedDemo } from "@/db/seed";
import type { Database } from "@/db/client";
import { TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { startSandbox } from "@/lib/testing/sandbox-host";
import type { SandboxDeps } from "@/lib/sandbox/types";
import { kkiapaySandbox } from "./index";

/**
 * Shared by the KKiaPay simulator and adapter tests: a seeded database, the simulator on real
 * HTTP, and the few HTTP calls a tester makes (control API, widget form, server API).
 */
export type Keys = { publicKey: string; privateKey: string; secretKey: string };

function seededKeys(slug: string): Keys {
  const account = SEED_MERCHANTS.find((m) => m.slug === slug)?.accounts.find((a) => a.provider === "kkiapay");
  if (!account) throw new Error(`no seeded kkiapay account for ${slug}`);
  return account.credentials as Keys;
}

/**
 * The merchant page the widget's callback leads to. Loopback, so the simulator follows it (it
 * follows the app's origin and loopback only); nothing ever fetches it.
 */
export const SHOP_RETURN = "http://127.0.0.1:9/shop/return?order=1";

export const DEMO_KEYS = seededKeys("demo");
export const AUTRE_KEYS = seededKeys("autre");

export type WidgetResult = { status: number; html: string; events: { name: string; data: Record<string, unknown> }[]; redirect: string | null; transactionId: string };

export function readWidgetResult(status: number, html: string): WidgetResult {
  const match = /<script type="application\/json" id="kkiapay-events">([\s\S]*?)<\/script>/.exec(html);
  const parsed = match ? (JSON.parse(match[1]!) as { events: WidgetResult["events"]; redirect: string | null }) : { events: [], redirect: null };
  const first = parsed.events.find((e) => typeof e.data.transactionId === "string" && e.data.transactionId);
  return { status, html, events: parsed.events, redirect: parsed.redirect, transactionId: String(first?.data.transactionId ?? "") };
}

export type PayOptions = {
  config?: Record<string, unknown>;
  amount?: number;
  data?: string;
  keys?: Keys;
  action?: "pay" | "abort";
  operator?: string;
  phone?: string;
  outcome?: "success" | "failed" | "pending";
  failureCode?: string;
  faults?: Record<string, string>;
  lang?: string;
};

export async function openKkiapayWorld(database: Database, deps: Partial<SandboxDeps> = {}) {
  await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY, orders: 0 });
  const sandbox = await startSandbox(database, { providers: [kkiapaySandbox], deps });
  const base = sandbox.sandboxUrl("kkiapay");

  async function control(path: string, body: Record<string, unknown>, keys: Keys = DEMO_KEYS) {
    const res = await fetch(`${base}/_control/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-sandbox-secret": keys.privateKey },
      body: JSON.stringify({ accountId: keys.publicKey, ...body }),
    });
    if (!res.ok) throw new Error(`control ${path}: ${res.status} ${await res.text()}`);
  }

  return {
    sandbox,
    base,
    close: () => sandbox.close(),
    setWebhookUrl: (webhookUrl: string, keys: Keys = DEMO_KEYS) => control("settings", { settings: { webhookUrl } }, keys),
    setFaults: (faults: Record<string, unknown>, keys: Keys = DEMO_KEYS) => control("faults", { faults }, keys),

    async controlGet(path: string, keys: Keys = DEMO_KEYS) {
      const sep = path.includes("?") ? "&" : "?";
      const res = await fetch(`${base}/_control/${path}${sep}accountId=${encodeURIComponent(keys.publicKey)}`, { headers: { "x-sandbox-secret": keys.privateKey } });
      return { status: res.status, json: (await res.json()) as unknown };
    },

    /** Submits the widget form exactly as the iframe page would. */
    async pay(options: PayOptions = {}): Promise<WidgetResult> {
      const keys = options.keys ?? DEMO_KEYS;
      const config = options.config ?? {
        amount: options.amount ?? 5000,
        key: keys.publicKey,
        sandbox: true,
        data: options.data ?? "CS251122TESTREF01",
        callback: SHOP_RETURN,
        name: "Aminata Traoré",
        email: "aminata@example.ci",
        reason: "Pagne wax",
      };
      const form = new URLSearchParams({
        config: JSON.stringify(config),
        action: options.action ?? "pay",
        operator: options.operator ?? "mtn",
        phone: options.phone ?? "0707070707",
        outcome: options.outcome ?? "success",
        ...(options.failureCode ? { failureCode: options.failureCode } : {}),
        ...(options.lang ? { lang: options.lang } : {}),
        ...options.faults,
      });
      const res = await fetch(`${base}/widget/pay`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form });
      return readWidgetResult(res.status, await res.text());
    },

    async confirm(transactionId: string, outcome: "success" | "failed", failureCode?: string): Promise<WidgetResult> {
      const form = new URLSearchParams({ transactionId, outcome, ...(failureCode ? { failureCode } : {}) });
      const res = await fetch(`${base}/widget/confirm`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form });
      return readWidgetResult(res.status, await res.text());
    },

    /** The server API with the three key headers (override or drop any of them). */
    async api(action: "status" | "revert", transactionId: string, headers: Record<string, string | null> = {}, init: RequestInit = {}) {
      const all: Record<string, string | null> = { "x-api-key": DEMO_KEYS.publicKey, "x-private-key": DEMO_KEYS.privateKey, "x-secret-key": DEMO_KEYS.secretKey, ...headers };
      const sent = Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== null));
      const res = await fetch(`${base}/api/v1/transactions/${action}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...sent },
        body: JSON.stringify({ transactionId }),
        ...init,
      });
      const text = await res.text();
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(text) as Record<string, unknown>;
      } catch {
        json = { raw: text };
      }
      return { status: res.status, json };
    },
  };
}

export type KkiapayWorld = Awaited<ReturnType<typeof openKkiapayWorld>>;
