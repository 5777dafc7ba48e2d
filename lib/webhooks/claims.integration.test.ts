import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import * as s from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { merchantId } from "@/lib/testing/payments";
import { claimDue, IN_FLIGHT_PER_ENDPOINT } from "./deliver";
import { createEndpoint, sendTestEvent } from "./endpoints";

/**
 * The pump hands deliveries to a shared pool of jobs. One merchant's endpoint that hangs until the
 * timeout, with a backlog, once took every claim and every job: the other stores' events waited
 * behind it. Each endpoint now has at most IN_FLIGHT_PER_ENDPOINT deliveries out at once.
 */
describe.each(TEST_DATABASES)("claiming due deliveries on $name", ({ open }) => {
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
});
