import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { startPayment } from "@/lib/payments/start";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { eventually, newOrder, statusOf } from "@/lib/testing/payments";
import { createEndpoint } from "./endpoints";
import { WEBHOOK_EVENT_TYPES } from "./events";

/**
 * kill -9 between a payment becoming paid and its webhook being delivered (PostgreSQL: the app is
 * a real process with its own connections). Two moments: right after the paid transition
 * committed, before any attempt; and in the middle of an attempt (the request sent, the answer
 * not back). After a restart each endpoint accepts each event exactly once, and every request of
 * an event carries its one webhook-id.
 */
type Request = { path: string; headers: Record<string, string>; body: string };

const postgres = TEST_DATABASES.filter((d) => d.name === "postgres");

describe.skipIf(postgres.length === 0).each(postgres)("webhooks survive a SIGKILL of the app on $name", ({ open }) => {
  const world = usePaymentsWorld(open);
  const requests: (Request & { answered: boolean })[] = [];
  const hung: ServerResponse[] = [];
  let holding = false;
  let receiverUrl = "";
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "/";
      const entry = { path, headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])), body: Buffer.concat(chunks).toString("utf8"), answered: false };
      requests.push(entry);
      // The first request to /slow never gets an answer, nor any while `holding`: the app dies while it waits.
      if (holding || (path === "/slow" && requests.filter((r) => r.path === "/slow").length === 1)) return void hung.push(res);
      entry.answered = true;
      res.end("ok");
    });
  });
  let app: ChildProcess | null = null;

  beforeAll(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    if (app?.pid) process.kill(-app.pid, "SIGKILL");
    for (const res of hung) res.destroy();
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  });

  /** The app process on the test's database; resolves with its URL once it listens. */
  async function startApp(): Promise<{ url: string; kill: () => Promise<void> }> {
    const child = spawn(process.execPath, ["--import", "tsx", "lib/testing/webhook-app.ts"], {
      env: { ...process.env, DATABASE_URL: (world.database.jobsConnection as { connectionString: string }).connectionString, CAISSE_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, LEASE_MS: "2000", LOG_LEVEL: "silent" },
      detached: true,
      stdio: ["ignore", "pipe", "inherit"],
    });
    app = child;
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const ready = /ready (\S+)/.exec(out);
        if (ready) resolve(ready[1]!);
      });
      child.on("exit", (code) => reject(new Error(`app exited ${code}: ${out}`)));
    });
    const kill = async () => {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      process.kill(-child.pid!, "SIGKILL");
      await exited;
      app = null;
    };
    return { url, kill };
  }

  async function unpaidPayment() {
    const order = await newOrder(world.database, "demo", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "cinetpay", method: "orange_money" });
    return started.paymentId;
  }
  const pay = (appUrl: string, paymentId: string) => fetch(`${appUrl}/pay`, { method: "POST", body: JSON.stringify({ paymentId }) }).then((r) => r.json() as Promise<{ applied: boolean }>);

  it("after a restart, each endpoint accepts each paid payment's webhook exactly once, under one webhook-id", async () => {
    const merchantId = (await world.database.db.select().from(s.merchants).where(eq(s.merchants.slug, "demo")))[0]!.id;
    const hooks = [];
    for (const path of ["/fast", "/slow"]) {
      const created = await createEndpoint(world.database.db, TEST_ENCRYPTION_KEY, { allowLoopback: true }, merchantId, null, { url: `${receiverUrl}${path}`, mode: "sandbox", events: [...WEBHOOK_EVENT_TYPES] });
      if (!created.ok) throw new Error(JSON.stringify(created.fieldErrors));
      hooks.push({ path, secret: created.secret });
    }
    const [first, second] = [await unpaidPayment(), await unpaidPayment()];

    // 1. Killed in the middle of an attempt: /slow got the request, its answer never came back.
    let running = await startApp();
    expect(await pay(running.url, first)).toMatchObject({ applied: true });
    await eventually(() => Promise.resolve(requests.filter((r) => r.path === "/slow").length), (n) => n === 1, 15_000);
    const deliveries = () => world.database.db.select().from(s.webhookDeliveries).where(eq(s.webhookDeliveries.merchantId, merchantId));
    await eventually(deliveries, (rows) => rows.filter((d) => d.status === "delivered").length === 1, 15_000);
    // 2. Killed right after the next payment became paid (its answer is the commit); an attempt
    // that left before the kill gets no answer (an endpoint answering after we died is the first
    // case's race, which only the receiver's dedupe by webhook-id can absorb).
    holding = true;
    expect(await pay(running.url, second)).toMatchObject({ applied: true });
    await running.kill();
    expect(await statusOf(world.database, second)()).toBe("paid");
    expect(await deliveries()).toHaveLength(4);

    holding = false;
    running = await startApp();
    await eventually(deliveries, (rows) => rows.every((d) => d.status === "delivered"), 30_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await running.kill();

    const events = await world.database.db.select().from(s.webhookEvents).where(eq(s.webhookEvents.merchantId, merchantId));
    expect(events.map((e) => e.type)).toEqual(["payment.paid", "payment.paid"]);
    for (const { path, secret } of hooks) {
      for (const event of events) {
        const tries = requests.filter((r) => r.path === path && r.headers["webhook-id"] === event.id);
        expect(tries.filter((r) => r.answered), `${path} ${event.id}`).toHaveLength(1);
        for (const t of tries) expect((new Webhook(secret).verify(t.body, t.headers) as { data: { id: string } }).data.id).toBe(event.snapshot.id);
      }
      // Nothing else reached it: every request belongs to one of the two events.
      expect(requests.filter((r) => r.path === path).every((r) => events.some((e) => e.id === r.headers["webhook-id"]))).toBe(true);
    }
    // The cut attempt was sent again with the same id. (The second payment's may have gone out
    // in the moment before the kill: then they too were sent twice, and accepted once.)
    expect(requests.filter((r) => r.path === "/slow" && r.headers["webhook-id"] === requests.find((x) => x.path === "/slow")!.headers["webhook-id"])).toHaveLength(2);
    expect(requests.length).toBeGreaterThanOrEqual(5);
    expect(requests.length).toBeLessThanOrEqual(7);
  }, 120_000);
});
