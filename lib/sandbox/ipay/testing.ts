import { createHmac } from "node:crypto";
import type { Database } from "@/db/client";
import { seedDemo } from "@/db/seed";
import { SEED_MERCHANTS } from "@/db/seed-data";
import { afterAll, beforeAll } from "vitest";
import { TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { startReceiver } from "@/lib/testing/http-host";
import { startSandbox } from "@/lib/testing/sandbox-host";
import type { SandboxDeps } from "../types";
import { ipaySandbox } from "./index";

/**
 * Test support for the iPay simulator and adapter suites. The hashes below are written from
 * PROVIDERS.md on purpose, apart from both the simulator's hashes.ts and the adapter's
 * signature.ts, so that the tests check each side against the document, not against itself.
 */
export function hmacHex(algorithm: "sha1" | "sha256", key: string, data: string): string {
  return createHmac(algorithm, key).update(data).digest("hex");
}

export function vendor(slug: "autre" | "demo") {
  const account = SEED_MERCHANTS.find((m) => m.slug === slug)?.accounts.find((a) => a.provider === "ipay");
  if (!account) throw new Error(`no seeded iPay account for ${slug}`);
  return { vid: account.credentials.vendorId!, key: account.credentials.securityKey! };
}

export type Vendor = ReturnType<typeof vendor>;

/**
 * A seeded database with the iPay simulator on a real port. `clock` moves the simulator's time:
 * shift it (a push timing out) or stop it (rate-limit windows that must not roll over mid-test).
 */
export async function startIpayWorld(database: Database, extra: Partial<SandboxDeps> = {}) {
  await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY, orders: 0 });
  const sandbox = await startSandbox(database, { providers: [ipaySandbox], deps: extra });
  return { sandbox, base: sandbox.sandboxUrl("ipay"), clock: sandbox.clock };
}

/**
 * For a describe block: the database, the iPay world on it and a notification receiver, opened
 * before the block's tests and closed after them.
 */
export function useIpayWorld(open: () => Promise<Database>, extra: Partial<SandboxDeps> = {}) {
  const env = {} as { database: Database; world: Awaited<ReturnType<typeof startIpayWorld>>; receiver: Awaited<ReturnType<typeof startReceiver>> };
  beforeAll(async () => {
    env.database = await open();
    env.world = await startIpayWorld(env.database, extra);
    env.receiver = await startReceiver();
  });
  afterAll(async () => {
    await env.receiver?.close();
    await env.world?.sandbox.close();
    await env.database?.close();
  });
  return env;
}

let counter = 0;
/** A fresh alphanumeric oid per call. */
export function newOid(prefix = "T"): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36).toUpperCase()}${counter}`;
}

/** The §4.1 form, signed with SHA1 over live+oid+inv+ttl+tel+eml+vid+curr+p1..p4+cbk+cst+crl. */
export function signedForm(v: Vendor, over: Record<string, string> & { oid: string; ttl: string; cbk: string }): Record<string, string> {
  const f: Record<string, string> = { live: "0", inv: over.oid, tel: "254722000000", eml: "brian@example.co.ke", vid: v.vid, curr: "KES", p1: "", p2: "", p3: "", p4: "", cst: "1", crl: "0", ...over };
  const data = ["live", "oid", "inv", "ttl", "tel", "eml", "vid", "curr", "p1", "p2", "p3", "p4", "cbk", "cst", "crl"].map((k) => f[k] ?? "").join("");
  return { ...f, hsh: hmacHex("sha1", v.key, data) };
}

/** The REST /transact body, SHA256 over live+oid+inv+amount+tel+eml+vid+curr+p1..p4+cst+cbk. */
export function signedTransact(v: Vendor, over: Record<string, string> & { oid: string; amount: string }): Record<string, string> {
  const f: Record<string, string> = { live: "0", inv: over.oid, tel: "254722000000", eml: "", vid: v.vid, curr: "KES", p1: "", p2: "", p3: "", p4: "", cbk: "", cst: "0", crl: "0", ...over };
  const data = ["live", "oid", "inv", "amount", "tel", "eml", "vid", "curr", "p1", "p2", "p3", "p4", "cst", "cbk"].map((k) => f[k] ?? "").join("");
  return { ...f, hash: hmacHex("sha256", v.key, data) };
}

export function signedPush(v: Vendor, phone: string, sid: string) {
  return { phone, vid: v.vid, sid, hash: hmacHex("sha256", v.key, phone + v.vid + sid) };
}

export function signedSearch(v: Vendor, oid: string) {
  return { oid, vid: v.vid, hash: hmacHex("sha256", v.key, oid + v.vid) };
}

export function signedRefund(v: Vendor, code: string, amount?: string) {
  return { code, vid: v.vid, ...(amount ? { amount } : {}), hash: hmacHex("sha256", v.key, `code=${code}&vid=${v.vid}`) };
}

export async function postJson(url: string, body: unknown, init: RequestInit = {}) {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), ...init });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text);
  } catch {
    // Left empty: 5xx faults answer plain text.
  }
  return { status: res.status, json, text };
}

/** Posts the hosted form like a browser, and returns the session page URL it was sent to. */
export async function openCheckout(base: string, fields: Record<string, string>, query = ""): Promise<{ status: number; sessionUrl: string; body: string }> {
  const res = await fetch(`${base}/v3/ke${query}`, { method: "POST", body: new URLSearchParams(fields), redirect: "manual" });
  const location = res.headers.get("location");
  return { status: res.status, sessionUrl: location ? new URL(location, base).toString() : "", body: await res.text() };
}

/** Submits the session page's choice; resolves to iPay's answer (a 302 to cbk for crl=0). */
export async function chooseOutcome(sessionUrl: string, choice: Record<string, string>): Promise<Response> {
  return fetch(sessionUrl, { method: "POST", body: new URLSearchParams({ channel: "mpesa", payer_name: "Brian Otieno", payer_phone: "254722000000", ...choice }), redirect: "manual" });
}

/** Sets the account's faults through the shared control API ({} clears them). */
export async function setFaults(base: string, v: Vendor, faults: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${base}/_control/faults`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-sandbox-secret": v.key },
    body: JSON.stringify({ accountId: v.vid, faults }),
  });
  if (res.status !== 200) throw new Error(`control API answered ${res.status}: ${await res.text()}`);
}

export async function deliveries(base: string, v: Vendor, reference: string): Promise<{ url: string; error: string | null; responseStatus: number | null }[]> {
  const res = await fetch(`${base}/_control/deliveries?accountId=${v.vid}&reference=${reference}`, { headers: { "x-sandbox-secret": v.key } });
  return (await res.json()) as { url: string; error: string | null; responseStatus: number | null }[];
}

/** Opens an STK session and rings the phone; returns the sid. */
export async function startPush(base: string, v: Vendor, oid: string, amount: string, cbk: string, phone = "254722000000"): Promise<string> {
  const opened = await postJson(`${base}/payments/v2/transact`, signedTransact(v, { oid, amount, cbk, tel: phone }));
  if (opened.status !== 200) throw new Error(`transact answered ${opened.status}: ${opened.text}`);
  const sid = String((opened.json.data as { sid: string }).sid);
  const pushed = await postJson(`${base}/payments/v2/transact/push/mpesa`, signedPush(v, phone, sid));
  if (pushed.status !== 200) throw new Error(`push answered ${pushed.status}: ${pushed.text}`);
  return sid;
}

/** Answers the prompt on the phone screen like the tester would. */
export async function answerPhone(base: string, phone: string, sid: string, action: string, extra: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/phone/${phone}`, { method: "POST", body: new URLSearchParams({ sid, action, pin: "1234", ...extra }), redirect: "manual" });
}
