import { spawn } from "node:child_process";
import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import * as s from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { startAppHost } from "@/lib/testing/app-host";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { newOrder } from "@/lib/testing/payments";
import { startPayment } from "./start";

const postgres = TEST_DATABASES.find((d) => d.name === "postgres");

/** Runs one more "app instance" (its own process, pool and sweep timer) for `ms`. */
function instance(databaseUrl: string, appUrl: string, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("node_modules/.bin/tsx", ["lib/testing/reconcile-worker.ts", databaseUrl, appUrl, String(ms)], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (out += chunk));
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`instance exited ${code}: ${out}`))));
  });
}

describe.runIf(postgres)("reconciliation with two app instances on one PostgreSQL", () => {
  let database: Database;
  let app: Awaited<ReturnType<typeof startAppHost>>;

  beforeAll(async () => {
    database = await postgres!.open();
    await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY, orders: 0 });
    app = await startAppHost(database);
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it("never checks one payment twice", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 24; i++) {
      const order = await newOrder(database, "demo", 1);
      const providers = ["cinetpay", "orange-money", "kkiapay"] as const;
      const provider = providers[i % 3]!;
      const started = await startPayment(app.deps(), { merchantId: order.merchantId, orderId: order.id, provider, method: provider === "kkiapay" ? "mtn" : "orange_money" });
      ids.push(started.paymentId);
    }
    // All due now; nothing else will touch them while the two instances run.
    await database.db.update(s.payments).set({ nextCheckAt: new Date() }).where(inArray(s.payments.id, ids));

    const url = "connectionString" in database.jobsConnection ? database.jobsConnection.connectionString : "";
    const outputs = await Promise.all([instance(url, app.url, 9000), instance(url, app.url, 9000)]);
    for (const out of outputs) expect(out).toContain("done");

    const checks = await database.db.select({ paymentId: s.paymentEvents.paymentId, actor: s.paymentEvents.actor }).from(s.paymentEvents).where(inArray(s.paymentEvents.paymentId, ids));
    const perPayment = new Map<string, number>();
    for (const c of checks.filter((c) => c.actor === "reconciliation")) perPayment.set(c.paymentId, (perPayment.get(c.paymentId) ?? 0) + 1);
    expect([...perPayment.keys()].sort()).toEqual([...ids].sort());
    expect([...perPayment.values()].every((n) => n === 1)).toBe(true);
  }, 60_000);
});
