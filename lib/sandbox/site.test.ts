import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { parseEnv } from "@/lib/env";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { startSandbox } from "@/lib/testing/sandbox-host";
import { cinetpaySandbox } from "./cinetpay";
import { createPayment, initBody, startCinetpay } from "./cinetpay/test-support";
import { sandboxSite } from "./site";

/** A real HTTP exchange whose Host (and proxy headers) we choose, as a browser or a proxy would send them. */
function exchange(url: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: body === undefined ? "GET" : "POST", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("SANDBOX_ORIGIN: where the simulators say they are, and whom they serve", () => {
  it("without it, the simulators share the app's origin and answer under any Host", () => {
    expect(sandboxSite(parseEnv({ APP_URL: "https://caisse.example" }))).toEqual({ origin: "https://caisse.example", appOrigin: "https://caisse.example", exclusiveOrigin: false, loopbackTargets: true });
  });

  it("with it, the simulators live there alone, and still send shoppers and notifications to APP_URL", () => {
    const e = parseEnv({ APP_URL: "https://caisse.example", SANDBOX_ORIGIN: "https://sandbox.caisse-test.example" });
    expect(sandboxSite(e)).toEqual({ origin: "https://sandbox.caisse-test.example", appOrigin: "https://caisse.example", exclusiveOrigin: true, loopbackTargets: true });
  });

  it("in production, they follow APP_URL's origin only, unless SANDBOX_LOOPBACK_TARGETS says loopback too", () => {
    const production = { NODE_ENV: "production", NEXTAUTH_SECRET: "x".repeat(32), CAISSE_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"), APP_URL: "https://caisse.example" };
    expect(sandboxSite(parseEnv(production)).loopbackTargets).toBe(false);
    expect(sandboxSite(parseEnv({ ...production, SANDBOX_LOOPBACK_TARGETS: "true" })).loopbackTargets).toBe(true);
    expect(sandboxSite(parseEnv({ APP_URL: "https://caisse.example", SANDBOX_LOOPBACK_TARGETS: "false" })).loopbackTargets).toBe(false);
  });
});

describe.each(TEST_DATABASES)("the sandbox on an origin of its own, over real HTTP, on $name", ({ open }) => {
  let database: Database;
  let env: Awaited<ReturnType<typeof startCinetpay>>;
  let host: string;
  const DASHBOARD = "localhost:3000";

  beforeAll(async () => {
    database = await open();
    env = await startCinetpay(database, { appOrigin: `http://${DASHBOARD}`, exclusiveOrigin: true });
    host = new URL(env.sandbox.url).host;
  });
  afterAll(async () => {
    await env.sandbox.close();
    await database.close();
  });

  it("serves its hosted pages and API under its own Host", async () => {
    const p = await createPayment(env.api, "http://127.0.0.1:9/n");
    const page = await exchange(p.url, { host });
    expect(page.status).toBe(200);
    expect(page.body).toContain("CinetPay");
  });

  it("refuses pages and API alike under the dashboard's Host: they must never run on its origin", async () => {
    const p = await createPayment(env.api, "http://127.0.0.1:9/n");
    const page = await exchange(p.url, { host: DASHBOARD });
    expect(page.status).toBe(404);
    expect(page.body).not.toContain("CinetPay");

    const body = initBody("http://127.0.0.1:9/n");
    const init = await exchange(`${env.api}/v2/payment`, { host: DASHBOARD, "content-type": "application/json", "user-agent": "test" }, JSON.stringify(body));
    expect(init.status).toBe(404);
    const control = await exchange(`${env.api}/_control/transactions/${String(body.transaction_id)}?accountId=x`, { host: DASHBOARD });
    expect(control.status).toBe(404);
  });

  it("behind a proxy, goes by X-Forwarded-Host, the Host the browser asked for", async () => {
    const p = await createPayment(env.api, "http://127.0.0.1:9/n");
    expect((await exchange(p.url, { host, "x-forwarded-host": DASHBOARD })).status).toBe(404);
    expect((await exchange(p.url, { host: "internal:8080", "x-forwarded-host": host })).status).toBe(200);
  });

  it("leaves a sandbox without an origin of its own answering under any Host, as in development", async () => {
    const shared = await startSandbox(database, { providers: [cinetpaySandbox] });
    try {
      const p = await createPayment(shared.sandboxUrl("cinetpay"), "http://127.0.0.1:9/n");
      expect((await exchange(p.url, { host: DASHBOARD })).status).toBe(200);
    } finally {
      await shared.close();
    }
  });
});
