import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import * as s from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { RACES_NEED_A_SERVER, TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { merchantId } from "@/lib/testing/payments";
import { startWebhookReceiver } from "@/lib/testing/webhook-receiver";
import { attemptDelivery, claimDue, IN_FLIGHT_PER_ENDPOINT, IN_FLIGHT_PER_STORE, type WebhookDeps } from "./deliver";
import { createEndpoint, deleteEndpoint, sendTestEvent } from "./endpoints";
import { startWebhookWorker } from "./worker";
import { EVENT_RETENTION_DAYS, pruneWebhookEvents } from "./retention";
import { rowsOf } from "@/db/rows";

/**
 * Claims: the pump hands deliveries to a shared pool of jobs. One merchant's endpoint that hangs until the
 * timeout, with a backlog, once took every claim and every job: the other stores' events waited
 * behind it. Each endpoint now has at most IN_FLIGHT_PER_ENDPOINT deliveries out at once.
 * Retention: events (a copy of a payment, the customer's phone included) are not kept forever.
 */
describe.each(TEST_DATABASES)("what the webhook pump does besides sending, on $name", ({ name, open }) => {
  let database: Database;
  beforeAll(async () => {
    database = await open();
    await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY });
  });
  afterAll(async () => database?.close());
  // Each test starts from no endpoint receiving and nothing out: a store's share counts what it has out.
  beforeEach(async () => {
    await database.db.execute(sql`update webhook_deliveries set status = 'failed', next_attempt_at = null, in_flight_until = null where status = 'pending'`);
    await database.db.execute(sql`update webhook_endpoints set disabled_at = now(), disabled_reason = 'manual' where disabled_at is null`);
  });

  const endpoint = async (slug: "demo" | "autre", path: string, base = "http://127.0.0.1:9") => {
    const made = await createEndpoint(database.db, TEST_ENCRYPTION_KEY, { allowLoopback: true }, await merchantId(database, slug), null, { url: `${base}${path}`, mode: "sandbox", events: ["payment.paid"] });
    if (!made.ok) throw new Error(JSON.stringify(made.fieldErrors));
    return made.endpoint.id;
  };
  const deliveriesTo = async (endpointId: string, count: number, dueAgo: string) => {
    for (let i = 0; i < count; i++) await sendTestEvent(database.db, (await database.db.select().from(s.webhookEndpoints).where(eq(s.webhookEndpoints.id, endpointId)))[0]!.merchantId, endpointId);
    await database.db.execute(sql`update webhook_deliveries set next_attempt_at = now() - ${dueAgo}::interval where endpoint_id = ${endpointId}`);
    return (await database.db.select({ id: s.webhookDeliveries.id }).from(s.webhookDeliveries).where(eq(s.webhookDeliveries.endpointId, endpointId))).map((d) => d.id);
  };

  it("gives an endpoint with a backlog no more than its share while the others' deliveries go too", async () => {
    const slow = await endpoint("demo", "/hangs");
    const other = await endpoint("autre", "/fine");
    const backlog = await deliveriesTo(slow, IN_FLIGHT_PER_ENDPOINT * 3, "1 hour");
    const [waiting] = await deliveriesTo(other, 1, "1 minute");

    const first = (await claimDue(database.db, 60_000, IN_FLIGHT_PER_ENDPOINT * 2)).map((c) => c.deliveryId);
    expect(first.filter((id) => backlog.includes(id))).toHaveLength(IN_FLIGHT_PER_ENDPOINT);
    expect(first).toContain(waiting);
    // Those still out (their lease running): the next claims give the endpoint nothing more.
    expect((await claimDue(database.db, 60_000, 100)).filter((c) => backlog.includes(c.deliveryId))).toEqual([]);
    // Once they are recorded, the next share goes.
    await database.db.update(s.webhookDeliveries).set({ status: "delivered", inFlightUntil: null }).where(sql`${s.webhookDeliveries.id} in ${first}`);
    expect((await claimDue(database.db, 60_000, 100)).filter((c) => backlog.includes(c.deliveryId))).toHaveLength(IN_FLIGHT_PER_ENDPOINT);
  });

  it("gives one store no more than its share, however many endpoints it has", async () => {
    const perEndpoint = await Promise.all([1, 2, 3, 4].map(async (i) => deliveriesTo(await endpoint("demo", `/many-${i}`), IN_FLIGHT_PER_ENDPOINT, "1 hour")));
    const [other] = await deliveriesTo(await endpoint("autre", "/fine-too"), 1, "1 minute");
    const claimed = (await claimDue(database.db, 60_000, 100)).map((c) => c.deliveryId);
    expect(claimed.filter((id) => perEndpoint.flat().includes(id))).toHaveLength(IN_FLIGHT_PER_STORE);
    expect(claimed).toContain(other);
    expect((await claimDue(database.db, 60_000, 100)).filter((c) => perEndpoint.flat().includes(c.deliveryId))).toEqual([]);
  });

  it("counts a lease that ran out (its job lost with a crashed process) as no longer out", async () => {
    const slow = await endpoint("demo", "/crashed");
    const backlog = await deliveriesTo(slow, IN_FLIGHT_PER_ENDPOINT + 2, "1 hour");
    expect(await claimDue(database.db, 60_000, 100)).toHaveLength(IN_FLIGHT_PER_ENDPOINT);
    await database.db.execute(sql`update webhook_deliveries set in_flight_until = now() - interval '1 second', next_attempt_at = now() - interval '1 second' where endpoint_id = ${slow}`);
    const again = await claimDue(database.db, 60_000, 100);
    expect(again).toHaveLength(IN_FLIGHT_PER_ENDPOINT);
    expect(again.every((c) => backlog.includes(c.deliveryId))).toBe(true);
  });

  it("deletes events past retention whose deliveries are decided, with their log; keeps recent ones and any still to deliver", async () => {
    const hook = await endpoint("demo", "/retention");
    const ids = await deliveriesTo(hook, 3, "1 second");
    const [old, oldPending, recent] = ids;
    const eventOf = async (deliveryId: string) => (await database.db.select().from(s.webhookDeliveries).where(eq(s.webhookDeliveries.id, deliveryId)))[0]!.eventId;
    const events = { old: await eventOf(old!), oldPending: await eventOf(oldPending!), recent: await eventOf(recent!) };
    await database.db.update(s.webhookDeliveries).set({ status: "delivered" }).where(sql`${s.webhookDeliveries.id} in ${[old!, recent!]}`);
    await database.db.insert(s.webhookAttempts).values({ deliveryId: old!, endpointId: hook, attempt: 1, startedAt: new Date(), durationMs: 5, responseStatus: 200 });
    const longAgo = sql`now() - ${`${EVENT_RETENTION_DAYS} days 1 hour`}::interval`;
    await database.db.update(s.webhookEvents).set({ createdAt: longAgo }).where(sql`${s.webhookEvents.id} in ${[events.old, events.oldPending]}`);
    await database.db.update(s.webhookEvents).set({ createdAt: sql`now() - ${`${EVENT_RETENTION_DAYS - 1} days`}::interval` }).where(eq(s.webhookEvents.id, events.recent));

    expect(await pruneWebhookEvents(database.db)).toBe(1);
    const left = (await database.db.select({ id: s.webhookEvents.id }).from(s.webhookEvents).where(sql`${s.webhookEvents.id} in ${Object.values(events)}`)).map((e) => e.id).sort();
    expect(left).toEqual([events.oldPending, events.recent].sort());
    expect(await database.db.$count(s.webhookDeliveries, eq(s.webhookDeliveries.id, old!))).toBe(0);
    expect(await database.db.$count(s.webhookAttempts, eq(s.webhookAttempts.deliveryId, old!))).toBe(0);
    expect(await pruneWebhookEvents(database.db)).toBe(0);

    // An endpoint switched off keeps its deliveries pending; past retention they fail and go too,
    // batch after batch.
    const off = await endpoint("demo", "/switched-off");
    await deliveriesTo(off, 5, "1 second");
    await database.db.update(s.webhookEndpoints).set({ disabledAt: new Date(), disabledReason: "manual" }).where(eq(s.webhookEndpoints.id, off));
    await database.db.execute(sql`update webhook_events set created_at = ${longAgo} where id in (select event_id from webhook_deliveries where endpoint_id = ${off})`);
    await database.db.execute(sql`update webhook_deliveries set created_at = ${longAgo} where endpoint_id = ${off}`);
    expect(await pruneWebhookEvents(database.db, { batch: 2 })).toBe(5);
    expect(await database.db.$count(s.webhookDeliveries, eq(s.webhookDeliveries.endpointId, off))).toBe(0);
  });

  it("a store's endpoints that never answer hold their share of jobs, not the others' (the worker)", async () => {
    const receiver = await startWebhookReceiver((path) => (path.startsWith("/never") ? new Promise<number>(() => {}) : 200));
    // Longer than the whole test may wait: a job held by a hanging request is not free before then.
    const deps: WebhookDeps = { db: database.db, encryptionKey: TEST_ENCRYPTION_KEY, url: { allowLoopback: true }, timeoutMs: 60_000, leaseMs: 120_000, scheduleMs: [60_000] };
    for (let i = 0; i < 4; i++) await deliveriesTo(await endpoint("demo", `/never?${i}`, receiver.url), IN_FLIGHT_PER_ENDPOINT, "1 second");
    const worker = await startWebhookWorker(deps, database, { pumpIntervalMs: 100, pollingIntervalSeconds: 0.5 });
    try {
      await expect.poll(() => receiver.received.filter((r) => r.path.startsWith("/never")).length, { timeout: 15_000 }).toBe(IN_FLIGHT_PER_STORE);
      const [fine] = await deliveriesTo(await endpoint("autre", "/answers", receiver.url), 1, "1 second");
      // Delivered while every request to the hanging endpoints is still out.
      await expect.poll(async () => (await database.db.select().from(s.webhookDeliveries).where(eq(s.webhookDeliveries.id, fine!)))[0]!.status, { timeout: 15_000 }).toBe("delivered");
      expect(receiver.received.filter((r) => r.path.startsWith("/never"))).toHaveLength(IN_FLIGHT_PER_STORE);
    } finally {
      // The hanging requests end with the receiver; then the worker's attempts record and stop.
      await receiver.close();
      await worker.stop();
    }
  }, 60_000);

  it("an endpoint deleted while its attempt is being recorded: no deadlock, whichever comes first", async ({ skip }) => {
    if (name === "pglite") skip(RACES_NEED_A_SERVER);
    let release: () => void = () => {};
    const held = new Promise<number>((resolve) => (release = () => resolve(200)));
    const receiver = await startWebhookReceiver(() => held);
    const db = database.db;
    try {
      const hook = await endpoint("demo", "/held", receiver.url);
      const [deliveryId] = await deliveriesTo(hook, 1, "1 second");
      const deps: WebhookDeps = { db, encryptionKey: TEST_ENCRYPTION_KEY, url: { allowLoopback: true }, timeoutMs: 10_000 };
      const attempt = attemptDelivery(deps, deliveryId!, 1).then((v) => v, (e: unknown) => e);
      await expect.poll(() => receiver.received.length).toBe(1);
      // Only to make the interleaving the same every run: another session holds the delivery row
      // while the attempt's record and the deletion both line up for it.
      let letGo: () => void = () => {};
      const holding = new Promise<void>((resolve) => (letGo = resolve));
      let locked: () => void = () => {};
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const holder = db.transaction(async (tx) => {
        await tx.execute(sql`select id from webhook_deliveries where id = ${deliveryId!} for update`);
        locked();
        await holding;
      });
      await isLocked;
      release();
      const waitingOnLocks = async () => rowsOf<{ n: number }>(await db.execute(sql`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`))[0]!.n;
      await expect.poll(waitingOnLocks, { timeout: 5_000 }).toBe(1);
      const deletion = deleteEndpoint(db, await merchantId(database, "demo"), hook).then((v) => v, (e: unknown) => e);
      await expect.poll(waitingOnLocks, { timeout: 5_000 }).toBe(2);
      letGo();
      await holder;
      const [recorded, deleted] = await Promise.all([attempt, deletion]);
      expect([recorded, deleted]).toEqual([expect.stringMatching(/^(delivered|skipped)$/), true]);
      expect(await db.$count(s.webhookDeliveries, eq(s.webhookDeliveries.endpointId, hook))).toBe(0);
    } finally {
      release();
      await receiver.close();
    }
  });
});

