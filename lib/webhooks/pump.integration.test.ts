import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import * as s from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { merchantId } from "@/lib/testing/payments";
import { claimDue, IN_FLIGHT_PER_ENDPOINT } from "./deliver";
import { createEndpoint, sendTestEvent } from "./endpoints";
import { EVENT_RETENTION_DAYS, pruneWebhookEvents } from "./retention";

/**
 * Claims: the pump hands deliveries to a shared pool of jobs. One merchant's endpoint that hangs until the
 * timeout, with a backlog, once took every claim and every job: the other stores' events waited
 * behind it. Each endpoint now has at most IN_FLIGHT_PER_ENDPOINT deliveries out at once.
 * Retention: events (a copy of a payment, the customer's phone included) are not kept forever.
 */
describe.each(TEST_DATABASES)("what the webhook pump does besides sending, on $name", ({ open }) => {
  let database: Database;
  beforeAll(async () => {
    database = await open();
    await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY });
  });
  afterAll(async () => database?.close());

  const endpoint = async (slug: "demo" | "autre", path: string) => {
    const made = await createEndpoint(database.db, TEST_ENCRYPTION_KEY, { allowLoopback: true }, await merchantId(database, slug), null, { url: `http://127.0.0.1:9${path}`, mode: "sandbox", events: ["payment.paid"] });
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
  });
});
