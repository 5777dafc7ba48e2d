import { kkiapay } from "@kkiapay-org/nodejs-sdk";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { handleSandbox } from "@/lib/sandbox/router";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { startHost, startReceiver, type Host } from "@/lib/testing/http-host";
import { kkiapaySandbox } from "./index";
import { webhooksSettled } from "./notifications";
import { DEMO_KEYS, openKkiapayWorld, type KkiapayWorld } from "./test-support";

/**
 * The official Node SDK, unchanged: its base URL is hard-coded, so (PROVIDERS.md §3.2) it
 * reaches the simulator through HTTPS_PROXY, which its axios 0.27 honours by sending plain HTTP
 * with an absolute-form target (POST https://api-sandbox.kkiapay.me/api/v1/…) to the proxy.
 */
const PROXY_ENV = ["HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"] as const;

describe.each(TEST_DATABASES)("official @kkiapay-org/nodejs-sdk against the simulator on $name", ({ open }) => {
  let database: Database;
  let world: KkiapayWorld;
  let proxy: Host;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const seen: { method: string; host: string | null; path: string; userAgent: string | null }[] = [];
  const saved: Partial<Record<(typeof PROXY_ENV)[number], string>> = {};

  beforeAll(async () => {
    database = await open();
    world = await openKkiapayWorld(database);
    receiver = await startReceiver();
    await world.setWebhookUrl(receiver.url);
    proxy = await startHost(async (req) => {
      const url = new URL(req.url);
      seen.push({ method: req.method, host: req.headers.get("host"), path: url.pathname, userAgent: req.headers.get("user-agent") });
      if (!url.pathname.startsWith("/api/v1/")) return new Response("proxy: not a KKiaPay API path", { status: 502 });
      const target = new Request(`${world.sandbox.url}/sandbox/kkiapay${url.pathname}`, { method: req.method, headers: req.headers, body: await req.arrayBuffer() });
      return handleSandbox(target, { db: database.db, encryptionKey: TEST_ENCRYPTION_KEY, origin: world.sandbox.url }, { kkiapay: kkiapaySandbox });
    });
  });
  afterAll(async () => {
    await webhooksSettled();
    await proxy.close();
    await receiver.close();
    await world.close();
    await database.close();
  });
  beforeEach(() => {
    for (const name of PROXY_ENV) {
      saved[name] = process.env[name];
      delete process.env[name];
    }
    process.env.HTTPS_PROXY = proxy.url;
  });
  afterEach(() => {
    for (const name of PROXY_ENV) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  const sdk = (keys = DEMO_KEYS) => kkiapay({ publickey: keys.publicKey, privatekey: keys.privateKey, secretkey: keys.secretKey, sandbox: true });

  it("verifies, then refunds, a sandbox transaction", async () => {
    const paid = await world.pay({ amount: 3000, data: "CSSDK0000000001" });
    const k = sdk();

    const verified = await k.verify(paid.transactionId);
    expect(verified).toMatchObject({ status: "SUCCESS", amount: 3000, fees: 57, transactionId: paid.transactionId, state: "CSSDK0000000001" });
    expect(seen.at(-1)).toEqual({ method: "POST", host: "api-sandbox.kkiapay.me", path: "/api/v1/transactions/status", userAgent: expect.stringMatching(/^axios\/0\.27/) });

    const refunded = await k.refund(paid.transactionId);
    expect(refunded).toEqual({ code: "SUCCESS", description: "REVERTED", transactionId: paid.transactionId });
    expect(seen.at(-1)?.path).toBe("/api/v1/transactions/revert");

    expect(await k.verify(paid.transactionId)).toMatchObject({ status: "REVERTED" });
  });

  it("fails the way the SDK fails: any non-2xx on verify is 'Transaction Not Found'", async () => {
    await expect(sdk().verify("UNKNOWN01")).rejects.toThrow("Transaction Not Found");
    const paid = await world.pay({ data: "CSSDK0000000002" });
    await expect(sdk({ ...DEMO_KEYS, privateKey: "wrong" }).verify(paid.transactionId)).rejects.toThrow("Transaction Not Found");
    await expect(sdk().refund("UNKNOWN01")).rejects.toThrow();
  });
});
