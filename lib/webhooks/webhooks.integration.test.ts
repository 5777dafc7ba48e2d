import { and, eq, sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import * as s from "@/db/schema";
import { paymentView } from "@/lib/api/resources/payments";
import { refundPayment } from "@/lib/payments/refunds";
import { startPayment } from "@/lib/payments/start";
import { applyTransition, flagPayment } from "@/lib/payments/transitions";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { eventually, merchantId, newOrder, paymentRow, statusOf, submitForm } from "@/lib/testing/payments";
import { startWebhookReceiver } from "@/lib/testing/webhook-receiver";
import type { WebhookDeps } from "./deliver";
import { createEndpoint, deliveryLog, resendDelivery, rotateSecret, sendTestEvent, setEndpointEnabled } from "./endpoints";
import { WEBHOOK_EVENT_TYPES } from "./events";
import { startWebhookWorker, type WebhookWorker } from "./worker";

const ALL = [...WEBHOOK_EVENT_TYPES];
const SCHEDULE_MS = [300, 600];

describe.each(TEST_DATABASES)("outgoing webhooks on $name", ({ open }) => {
  const world = usePaymentsWorld(open);
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let worker: WebhookWorker;
  // /failing answers 500 until told otherwise.
  let failingAnswer = 500;

  beforeAll(async () => {
    receiver = await startWebhookReceiver((path) => (path === "/failing" ? failingAnswer : 200));
    const deps: WebhookDeps = { db: world.database.db, encryptionKey: TEST_ENCRYPTION_KEY, url: { allowLoopback: true }, scheduleMs: SCHEDULE_MS, leaseMs: 5_000, timeoutMs: 3_000 };
    worker = await startWebhookWorker(deps, world.database, { pumpIntervalMs: 100, pollingIntervalSeconds: 0.5 });
  });
  afterAll(async () => {
    await worker?.stop();
    await receiver?.close();
  });

  const endpoint = async (slug: "demo" | "autre", path: string, options: { mode?: "sandbox" | "live"; events?: string[] } = {}) => {
    const created = await createEndpoint(world.database.db, TEST_ENCRYPTION_KEY, { allowLoopback: true }, await merchantId(world.database, slug), null, {
      url: options.mode === "live" ? `https://hooks.example.com${path}` : `${receiver.url}${path}`,
      mode: options.mode ?? "sandbox",
      events: options.events ?? ALL,
    });
    if (!created.ok) throw new Error(JSON.stringify(created.fieldErrors));
    return created;
  };
  const deliveriesOf = (endpointId: string) => world.database.db.select().from(s.webhookDeliveries).where(eq(s.webhookDeliveries.endpointId, endpointId));
  /** The events about a payment: its own, and its refunds'. */
  const eventsOfPayment = (paymentId: string) =>
    world.database.db
      .select()
      .from(s.webhookEvents)
      .where(sql`${s.webhookEvents.snapshot}->>'id' = ${paymentId} or ${s.webhookEvents.snapshot}->>'payment_id' = ${paymentId}`);

  /** A CinetPay sandbox payment the shopper approves; the simulator notifies the app, which marks it paid. */
  async function paidPayment(slug: "demo" | "autre" = "demo") {
    const order = await newOrder(world.database, slug, 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "cinetpay", method: "orange_money" });
    await submitForm((started.action as { url: string }).url, { action: "pay", method: "OM", phone: "0707070707", outcome: "accepted" });
    await eventually(statusOf(world.database, started.paymentId), (st) => st === "paid", 15_000);
    return { order, paymentId: started.paymentId };
  }

  it("a paid payment reaches every subscribed sandbox endpoint of its store once, signed per Standard Webhooks, and no other", async () => {
    const all = await endpoint("demo", "/all");
    const failedOnly = await endpoint("demo", "/failed-only", { events: ["payment.failed"] });
    const live = await endpoint("demo", "/live", { mode: "live" });
    const other = await endpoint("autre", "/other");
    const { paymentId } = await paidPayment();

    const [delivery] = await eventually(() => Promise.resolve(receiver.at("/all")), (r) => r.length >= 1, 15_000);
    const verified = new Webhook(all.secret).verify(delivery!.body, delivery!.headers) as { type: string; timestamp: string; data: Record<string, unknown> };
    expect(verified.type).toBe("payment.paid");
    const payment = await paymentRow(world.database, paymentId);
    expect(verified.data).toEqual(JSON.parse(JSON.stringify(paymentView(payment))));
    expect(delivery!.headers["content-type"]).toBe("application/json");
    expect(delivery!.headers["webhook-id"]).toMatch(/^msg_[0-9a-f]{32}$/);
    // A forged body fails the same verification.
    expect(() => new Webhook(all.secret).verify(delivery!.body.replace('"paid"', '"failed"'), delivery!.headers)).toThrow();

    await eventually(() => deliveriesOf(all.endpoint.id), (d) => d.length === 1 && d[0]!.status === "delivered");
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(receiver.at("/all").filter((r) => r.headers["webhook-id"] === delivery!.headers["webhook-id"])).toHaveLength(1);
    expect(await deliveriesOf(failedOnly.endpoint.id)).toEqual([]);
    expect(await deliveriesOf(live.endpoint.id)).toEqual([]);
    expect(await deliveriesOf(other.endpoint.id)).toEqual([]);
    expect(receiver.at("/failed-only")).toEqual([]);
    expect(receiver.at("/other")).toEqual([]);
    // The log shows the request and the answer.
    const [logged] = await deliveryLog(world.database.db, all.endpoint.merchantId, all.endpoint.id);
    expect(logged).toMatchObject({ type: "payment.paid", status: "delivered", attempts: 1, body: delivery!.body });
    expect(logged!.tries[0]).toMatchObject({ attempt: 1, responseStatus: 200, responseBody: "ok", error: null });
    for (const e of [all, failedOnly, live, other]) await setEndpointEnabled(world.database.db, e.endpoint.merchantId, e.endpoint.id, false);
  });

  it("a transition that rolls back writes no event, and one paid payment told twice writes one", async () => {
    const hook = await endpoint("demo", "/rollback");
    const order = await newOrder(world.database, "demo", 1);
    const started = await startPayment(world.app.deps(), { merchantId: order.merchantId, orderId: order.id, provider: "cinetpay", method: "orange_money" });
    await expect(
      world.database.db.transaction(async (tx) => {
        expect(await applyTransition(tx as unknown as Db, { paymentId: started.paymentId, to: "paid", actor: "test" })).toMatchObject({ applied: true });
        expect(await tx.$count(s.webhookEvents, eq(s.webhookEvents.type, "payment.paid"))).toBeGreaterThan(0);
        throw new Error("the rest of the change failed");
      }),
    ).rejects.toThrow("the rest of the change failed");
    expect(await eventsOfPayment(started.paymentId)).toEqual([]);
    expect(await deliveriesOf(hook.endpoint.id)).toEqual([]);

    expect(await applyTransition(world.database.db, { paymentId: started.paymentId, to: "paid", actor: "test" })).toMatchObject({ applied: true });
    expect(await applyTransition(world.database.db, { paymentId: started.paymentId, to: "paid", actor: "test" })).toMatchObject({ applied: false });
    expect((await eventsOfPayment(started.paymentId)).map((e) => e.type)).toEqual(["payment.paid"]);
    expect(await deliveriesOf(hook.endpoint.id)).toHaveLength(1);

    // A refund (CinetPay has no refund API: recorded as made at once) and an exception.
    await refundPayment(world.app.deps(), { merchantId: order.merchantId, paymentId: started.paymentId, amountMinor: 1, reason: "test", userId: null });
    expect(await flagPayment(world.database.db, started.paymentId, "overpaid")).toBe(true);
    expect(await flagPayment(world.database.db, started.paymentId, "overpaid")).toBe(false);
    const types = (await eventsOfPayment(started.paymentId)).map((e) => e.type).sort();
    expect(types).toEqual(["exception.opened", "payment.paid", "payment.refunded", "refund.succeeded"]);
    await eventually(() => deliveriesOf(hook.endpoint.id), (d) => d.length === 4 && d.every((x) => x.status === "delivered"), 15_000);
    const bodies = receiver.at("/rollback").map((r) => new Webhook(hook.secret).verify(r.body, r.headers) as { type: string; data: Record<string, unknown> });
    const refunded = bodies.find((b) => b.type === "payment.refunded")!;
    expect(refunded.data).toMatchObject({ id: started.paymentId, status: "partially_refunded" });
    expect(bodies.find((b) => b.type === "refund.succeeded")!.data).toMatchObject({ object: "refund", payment: started.paymentId, amount: 1, status: "succeeded" });
    expect(bodies.find((b) => b.type === "exception.opened")!.data).toMatchObject({ id: started.paymentId, exception: { reason: "overpaid" } });
    await setEndpointEnabled(world.database.db, hook.endpoint.merchantId, hook.endpoint.id, false);
  });

  it("retries keep the webhook-id on the backoff schedule; a schedule all failed disables the endpoint; enabling and resending deliver it", async () => {
    failingAnswer = 500;
    const hook = await endpoint("demo", "/failing");
    const eventId = await sendTestEvent(world.database.db, hook.endpoint.merchantId, hook.endpoint.id);
    const [delivery] = await eventually(() => deliveriesOf(hook.endpoint.id), (d) => d.length === 1 && d[0]!.status === "failed", 20_000);
    expect(delivery!.attempts).toBe(SCHEDULE_MS.length + 1);
    const tries = receiver.at("/failing");
    expect(tries).toHaveLength(SCHEDULE_MS.length + 1);
    expect(new Set(tries.map((t) => t.headers["webhook-id"]))).toEqual(new Set([eventId]));
    // Each wait is the schedule's, give or take its 10 % jitter.
    for (let i = 1; i < tries.length; i++) expect(tries[i]!.at - tries[i - 1]!.at).toBeGreaterThanOrEqual(SCHEDULE_MS[i - 1]! * 0.9 - 20);
    const [disabled] = await world.database.db.select().from(s.webhookEndpoints).where(eq(s.webhookEndpoints.id, hook.endpoint.id));
    expect(disabled).toMatchObject({ disabledReason: "failing", consecutiveFailures: SCHEDULE_MS.length + 1 });
    expect(disabled!.disabledAt).not.toBeNull();

    // Disabled: a new event waits.
    const waiting = await sendTestEvent(world.database.db, hook.endpoint.merchantId, hook.endpoint.id);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(receiver.at("/failing").some((t) => t.headers["webhook-id"] === waiting)).toBe(false);

    failingAnswer = 200;
    expect(await setEndpointEnabled(world.database.db, hook.endpoint.merchantId, hook.endpoint.id, true)).toBe(true);
    expect(await resendDelivery(world.database.db, hook.endpoint.merchantId, delivery!.id)).toBe(true);
    await eventually(() => deliveriesOf(hook.endpoint.id), (d) => d.length === 2 && d.every((x) => x.status === "delivered"), 15_000);
    expect(receiver.at("/failing").filter((t) => t.headers["webhook-id"] === eventId).at(-1)).toBeDefined();
    // Another store cannot resend it.
    expect(await resendDelivery(world.database.db, await merchantId(world.database, "autre"), delivery!.id)).toBe(false);
    await setEndpointEnabled(world.database.db, hook.endpoint.merchantId, hook.endpoint.id, false);
  });

  it("an answer PostgreSQL cannot store as text (a NUL byte) is still a delivery, logged, not an attempt repeated forever", async () => {
    const hook = await endpoint("demo", "/nul-body");
    const eventId = await sendTestEvent(world.database.db, hook.endpoint.merchantId, hook.endpoint.id);
    const [delivery] = await eventually(() => deliveriesOf(hook.endpoint.id), (d) => d.length === 1 && d[0]!.status === "delivered", 15_000);
    expect(delivery!.attempts).toBe(1);
    const [logged] = await world.database.db.select().from(s.webhookAttempts).where(eq(s.webhookAttempts.deliveryId, delivery!.id));
    expect(logged).toMatchObject({ responseStatus: 200, responseBody: "O\uFFFDK\uFFFD" });
    expect(receiver.at("/nul-body").map((r) => r.headers["webhook-id"])).toEqual([eventId]);
    await setEndpointEnabled(world.database.db, hook.endpoint.merchantId, hook.endpoint.id, false);
  });

  it("a delivery resent days after its event starts a schedule of its own (it waits between tries), and one still pending is not resent twice at once", async () => {
    failingAnswer = 500;
    const hook = await endpoint("demo", "/failing");
    await sendTestEvent(world.database.db, hook.endpoint.merchantId, hook.endpoint.id);
    const [delivery] = await eventually(() => deliveriesOf(hook.endpoint.id), (d) => d.length === 1 && d[0]!.status === "failed", 20_000);
    await setEndpointEnabled(world.database.db, hook.endpoint.merchantId, hook.endpoint.id, true);
    // Four days old: past the 3-day cap counted from the event.
    await world.database.db.update(s.webhookDeliveries).set({ createdAt: new Date(Date.now() - 4 * 24 * 3600_000) }).where(eq(s.webhookDeliveries.id, delivery!.id));
    const before = receiver.at("/failing").length;
    expect(await resendDelivery(world.database.db, hook.endpoint.merchantId, delivery!.id)).toBe(true);
    expect(await resendDelivery(world.database.db, hook.endpoint.merchantId, delivery!.id)).toBe(false); // still pending: no twin
    await eventually(() => deliveriesOf(hook.endpoint.id), (d) => d[0]!.status === "failed", 20_000);
    const tries = receiver.at("/failing").slice(before);
    expect(tries).toHaveLength(SCHEDULE_MS.length + 1);
    for (let i = 1; i < tries.length; i++) expect(tries[i]!.at - tries[i - 1]!.at).toBeGreaterThanOrEqual(SCHEDULE_MS[i - 1]! * 0.9 - 20);
    await setEndpointEnabled(world.database.db, hook.endpoint.merchantId, hook.endpoint.id, false);
  });

  it("an endpoint disabled for failing gets what happened meanwhile once enabled again; one a person switched off does not", async () => {
    const down = await endpoint("demo", "/was-down", { events: ["payment.paid"] });
    const off = await endpoint("demo", "/switched-off", { events: ["payment.paid"] });
    await world.database.db.update(s.webhookEndpoints).set({ disabledAt: new Date(), disabledReason: "failing" }).where(eq(s.webhookEndpoints.id, down.endpoint.id));
    await setEndpointEnabled(world.database.db, off.endpoint.merchantId, off.endpoint.id, false);
    const { paymentId } = await paidPayment();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect([receiver.at("/was-down"), receiver.at("/switched-off")]).toEqual([[], []]);

    await setEndpointEnabled(world.database.db, down.endpoint.merchantId, down.endpoint.id, true);
    await setEndpointEnabled(world.database.db, off.endpoint.merchantId, off.endpoint.id, true);
    const [got] = await eventually(() => Promise.resolve(receiver.at("/was-down")), (r) => r.length === 1, 15_000);
    expect(JSON.parse(got!.body)).toMatchObject({ type: "payment.paid", data: { id: paymentId } });
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(receiver.at("/switched-off")).toEqual([]);
    for (const hook of [down, off]) await setEndpointEnabled(world.database.db, hook.endpoint.merchantId, hook.endpoint.id, false);
  });

  it("keeps no event nobody would receive: a store without a receiving endpoint for the type writes none", async () => {
    const demo = await merchantId(world.database, "demo");
    await world.database.db.update(s.webhookEndpoints).set({ disabledAt: new Date(), disabledReason: "manual" }).where(eq(s.webhookEndpoints.merchantId, demo));
    const unheard = await paidPayment("demo");
    await endpoint("demo", "/failed-events", { events: ["payment.failed"] });
    await endpoint("demo", "/live-only", { mode: "live", events: ["payment.paid"] });
    const stillUnheard = await paidPayment("demo");
    for (const p of [unheard, stillUnheard]) expect(await eventsOfPayment(p.paymentId)).toEqual([]);
    const hook = await endpoint("demo", "/paid-only", { events: ["payment.paid"] });
    const heard = await paidPayment("demo");
    expect((await eventsOfPayment(heard.paymentId)).map((e) => e.type)).toEqual(["payment.paid"]);
    await eventually(() => Promise.resolve(receiver.at("/paid-only")), (r) => r.length === 1, 15_000);
    await setEndpointEnabled(world.database.db, demo, hook.endpoint.id, false);
  });

  it("during a rotation both secrets verify; after the overlap only the new one does", async () => {
    const hook = await endpoint("demo", "/rotating");
    const fresh = await rotateSecret(world.database.db, TEST_ENCRYPTION_KEY, hook.endpoint.merchantId, hook.endpoint.id, 1_500);
    expect(fresh).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(fresh).not.toBe(hook.secret);
    const during = await sendTestEvent(world.database.db, hook.endpoint.merchantId, hook.endpoint.id);
    const [first] = await eventually(() => Promise.resolve(receiver.at("/rotating")), (r) => r.length === 1);
    expect(first!.headers["webhook-id"]).toBe(during);
    expect(first!.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(() => new Webhook(hook.secret).verify(first!.body, first!.headers)).not.toThrow();
    expect(() => new Webhook(fresh!).verify(first!.body, first!.headers)).not.toThrow();

    await new Promise((resolve) => setTimeout(resolve, 1_600));
    await sendTestEvent(world.database.db, hook.endpoint.merchantId, hook.endpoint.id);
    const [, second] = await eventually(() => Promise.resolve(receiver.at("/rotating")), (r) => r.length === 2);
    expect(second!.headers["webhook-signature"]!.split(" ")).toHaveLength(1);
    expect(() => new Webhook(hook.secret).verify(second!.body, second!.headers)).toThrow();
    expect(() => new Webhook(fresh!).verify(second!.body, second!.headers)).not.toThrow();
    // Secrets are stored encrypted, never in the clear.
    const stored = await world.database.db.select().from(s.webhookSecrets).where(and(eq(s.webhookSecrets.endpointId, hook.endpoint.id)));
    expect(stored).toHaveLength(2);
    expect(stored.some((r) => r.secretEncrypted.includes(fresh!.slice(6)) || r.secretEncrypted.includes(hook.secret.slice(6)))).toBe(false);
  });
});
