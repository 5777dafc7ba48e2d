import { createHmac } from "node:crypto";
import type { Database } from "@/db/client";
import { SEED_MERCHANTS } from "@/db/seed-data";
import { seedDemo } from "@/db/seed";
import type { Faults } from "@/lib/sandbox/faults";
import type { SandboxDeps } from "@/lib/sandbox/types";
import { TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { startSandbox } from "@/lib/testing/sandbox-host";
import { cinetpaySandbox } from "./index";

/** Shared by the CinetPay simulator and adapter tests (not a test file itself). */

export type Credentials = { apiKey: string; siteId: string; secretKey: string };

function seededCredentials(slug: string): Credentials {
  const account = SEED_MERCHANTS.find((m) => m.slug === slug)?.accounts.find((a) => a.provider === "cinetpay");
  if (!account) throw new Error(`no seeded CinetPay account for ${slug}`);
  return account.credentials as Credentials;
}

export const DEMO = seededCredentials("demo");
export const AUTRE = seededCredentials("autre");

/** The x-token field order, written here from PROVIDERS.md §1.5 independently of signature.ts. */
export const DOCUMENTED_ORDER = [
  "cpm_site_id", "cpm_trans_id", "cpm_trans_date", "cpm_amount", "cpm_currency", "signature", "payment_method", "cel_phone_num",
  "cpm_phone_prefixe", "cpm_language", "cpm_version", "cpm_payment_config", "cpm_page_action", "cpm_custom", "cpm_designation", "cpm_error_message",
];

/** What a merchant's PHP does: hash_hmac('sha256', implode('', $_POST), $secret). */
export function phpStyleXToken(secretKey: string, formBody: string): string {
  const values = [...new URLSearchParams(formBody).values()].join("");
  return createHmac("sha256", secretKey).update(values).digest("hex");
}

/** The merchant's app the fixtures' return_url leads to; notify_url always names a test receiver. */
export const SHOP_ORIGIN = "https://shop.example.com";

export async function startCinetpay(database: Database, deps: Partial<SandboxDeps> = {}) {
  await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY, orders: 0 });
  const sandbox = await startSandbox(database, { providers: [cinetpaySandbox], deps: { appOrigin: SHOP_ORIGIN, ...deps } });
  return { sandbox, api: sandbox.sandboxUrl("cinetpay") };
}

let counter = 0;
export function newTransactionId(): string {
  counter += 1;
  return `CS${Date.now().toString(36).toUpperCase()}${counter}${Math.random().toString(36).slice(2, 6).toUpperCase()}`;
}

export function initBody(notifyUrl: string, overrides: Record<string, unknown> = {}, credentials: Credentials = DEMO): Record<string, unknown> {
  return {
    apikey: credentials.apiKey,
    site_id: credentials.siteId,
    transaction_id: newTransactionId(),
    amount: 5000,
    currency: "XOF",
    description: "Abonnement mensuel",
    notify_url: notifyUrl,
    return_url: `${SHOP_ORIGIN}/return`,
    channels: "ALL",
    lang: "fr",
    metadata: '{"orderId":"ORD-1"}',
    customer_name: "Koné",
    customer_surname: "Awa",
    customer_phone_number: "0707070707",
    customer_country: "CI",
    ...overrides,
  };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = null;
  }
  return { status: res.status, json, text };
}

/** Initializes a payment and returns its token and hosted page URL. */
export async function createPayment(api: string, notifyUrl: string, overrides: Record<string, unknown> = {}) {
  const body = initBody(notifyUrl, overrides);
  const res = await postJson(`${api}/v2/payment`, body);
  const data = res.json?.data as { payment_token: string; payment_url: string } | undefined;
  if (res.status !== 200 || !data) throw new Error(`init failed: ${res.status} ${res.text}`);
  return { transactionId: String(body.transaction_id), token: data.payment_token, url: data.payment_url, body };
}

/** Submits a hosted-page form like a browser (following the 303 back to the page). */
export async function submit(url: string, fields: Record<string, string>) {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() });
  return { status: res.status, url: res.url, html: await res.text() };
}

export function check(api: string, by: { transaction_id?: string; token?: string }, credentials: Credentials = DEMO) {
  return postJson(`${api}/v2/payment/check`, { apikey: credentials.apiKey, site_id: credentials.siteId, ...by });
}

export async function setFaults(api: string, faults: Faults, credentials: Credentials = DEMO) {
  const res = await postJson(`${api}/_control/faults`, { accountId: credentials.siteId, faults }, { "x-sandbox-secret": credentials.secretKey });
  if (res.status !== 200) throw new Error(`faults not set: ${res.text}`);
}

export async function deliveries(api: string, reference: string, credentials: Credentials = DEMO) {
  const res = await fetch(`${api}/_control/deliveries?accountId=${credentials.siteId}&reference=${reference}`, { headers: { "x-sandbox-secret": credentials.secretKey } });
  return (await res.json()) as { method: string; body: string; error: string | null; responseStatus: number | null }[];
}
