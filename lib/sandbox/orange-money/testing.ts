import { SEED_MERCHANTS } from "@/db/seed-data";
import type { Received } from "@/lib/testing/http-host";

/**
 * Test support shared by the simulator's and the adapter's tests: the seeded sandbox accounts
 * and the raw HTTP exchanges a browser or a merchant server would make. Nothing here is used by
 * the simulator itself.
 */
export type OmTestAccount = { clientId: string; clientSecret: string; merchantKey: string };

export function seededAccount(slug: "demo" | "autre"): OmTestAccount {
  const account = SEED_MERCHANTS.find((m) => m.slug === slug)?.accounts.find((a) => a.provider === "orange-money");
  if (!account) throw new Error(`no orange-money account seeded for ${slug}`);
  const { clientId, clientSecret, merchantKey } = account.credentials;
  return { clientId: clientId!, clientSecret: clientSecret!, merchantKey: merchantKey! };
}

export function basicAuth(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`;
}

export async function fetchToken(base: string, account: OmTestAccount): Promise<string> {
  const res = await fetch(`${base}/oauth/v3/token`, {
    method: "POST",
    headers: { authorization: basicAuth(account.clientId, account.clientSecret), "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: "grant_type=client_credentials",
  });
  if (res.status !== 200) throw new Error(`token: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

export function postJson(url: string, token: string | null, body: unknown, signal?: AbortSignal): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), "content-type": "application/json", accept: "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
    signal,
  });
}

let counter = 0;
/** A fresh order id per call (order_id must be unique), ≤ 30 characters like our references. */
export function orderId(): string {
  counter += 1;
  return `CSTEST${Date.now().toString(36).toUpperCase()}${counter}`.slice(0, 30);
}

export type WebPaymentBody = Record<string, unknown>;

/**
 * The merchant's pages the shopper goes back to. Loopback, so the simulator follows them (it
 * follows the app's origin and loopback only); only a Location header ever names them.
 */
const SHOP = "http://127.0.0.1:9/shop";

export function webPaymentBody(account: OmTestAccount, notifUrl: string, overrides: WebPaymentBody = {}): WebPaymentBody {
  return {
    merchant_key: account.merchantKey,
    currency: "OUV",
    order_id: orderId(),
    amount: 1200,
    return_url: `${SHOP}/return?o=1`,
    cancel_url: `${SHOP}/cancel?o=1`,
    notif_url: notifUrl,
    lang: "fr",
    reference: "Boutique Demo",
    ...overrides,
  };
}

export type Created = { status: number; message: string; pay_token: string; payment_url: string; notif_token: string };

export async function createWebPayment(base: string, token: string, body: WebPaymentBody, environment = "dev"): Promise<Created> {
  const res = await postJson(`${base}/orange-money-webpay/${environment}/v1/webpayment`, token, body);
  if (res.status !== 201) throw new Error(`webpayment: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as Created;
}

/** Submits the payment page's form the way a browser does (urlencoded, redirects not followed). */
export function submitPaymentPage(paymentUrl: string, fields: Record<string, string>): Promise<Response> {
  return fetch(paymentUrl, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString(), redirect: "manual" });
}

export async function transactionStatus(base: string, token: string, body: Record<string, unknown>, environment = "dev"): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await postJson(`${base}/orange-money-webpay/${environment}/v1/transactionstatus`, token, body);
  const text = await res.text();
  try {
    return { status: res.status, json: JSON.parse(text) as Record<string, unknown> };
  } catch {
    return { status: res.status, json: { text } };
  }
}

/** The shared control API: per-account faults, keyed by merchant_key, authenticated by client_secret. */
export async function setFaults(base: string, account: OmTestAccount, faults: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${base}/_control/faults`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-sandbox-secret": account.clientSecret },
    body: JSON.stringify({ accountId: account.merchantKey, faults }),
  });
  if (res.status !== 200) throw new Error(`faults: HTTP ${res.status} ${await res.text()}`);
}

export async function controlGet<T>(base: string, account: OmTestAccount, path: string): Promise<T> {
  const sep = path.includes("?") ? "&" : "?";
  const res = await fetch(`${base}/_control/${path}${sep}accountId=${account.merchantKey}`, { headers: { "x-sandbox-secret": account.clientSecret } });
  return (await res.json()) as T;
}

type Receiver = { waitFor(count: number, timeoutMs?: number): Promise<Received[]> };

/** Waits for the `nth` notification posted for one order (?ref= in notif_url), whatever else arrives. */
export async function notificationFor(receiver: Receiver, ref: unknown, nth = 1): Promise<Received> {
  for (let n = 1; ; n++) {
    const hits = (await receiver.waitFor(n)).filter((r) => r.query.get("ref") === ref);
    if (hits.length >= nth) return hits[nth - 1]!;
  }
}
