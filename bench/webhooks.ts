/**
 * Webhook fan-out (issue 17): payments become paid at a steady pace, each transition writing its
 * `payment.paid` event and one delivery per subscribed endpoint in its own statement (the outbox);
 * the pg-boss worker signs and POSTs them to a bare node:http receiver. Figures: deliveries per
 * second while the worker keeps up with a backlog (all payments paid at once), and the latency from
 * a payment's paid transition to the receiver reading its event, at a steady rate.
 *
 * PostgreSQL 15 (a fresh caisse_bench_webhooks), the worker in this process as the app runs it
 * (lib/webhooks/worker.ts, default concurrency), the receiver in this process too.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import postgres from "postgres";
import { createDatabase } from "@/db/client";
import { seedDemo } from "@/db/seed";
import { applyTransition } from "@/lib/payments/transitions";
import { createEndpoint } from "@/lib/webhooks/endpoints";
import { startWebhookWorker } from "@/lib/webhooks/worker";
import { BENCH_ENCRYPTION_KEY } from "./lib/app";
import { freshDatabase } from "./lib/postgres";
import type { Section } from "./lib/report";
import { seedPaymentBatch } from "./lib/seed-notify";
import { int, ms, summarize } from "./lib/stats";
import type { BenchContext } from "./run";

const ENDPOINTS = 5;
/** The issue sets no latency goal: the figure is reported beside what bounds it (the pump's interval). */
const PUMP_MS = 200;

export async function run(ctx: BenchContext): Promise<Section> {
  const quick = ctx.options.quick;
  const backlog = quick ? 100 : 1_000;
  const steady = quick ? 50 : 300;
  const ratePerSecond = 20;

  const url = await freshDatabase("caisse_bench_webhooks");
  const database = await createDatabase({ url, poolMax: 10 });
  await seedDemo(database.db, { encryptionKey: BENCH_ENCRYPTION_KEY });
  const sql = postgres(url, { max: 2, onnotice: () => {} });

  // When each (event, endpoint) reached the receiver, by the event's payment id.
  const received: { paymentId: string; at: number }[] = [];
  const receiver = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const at = performance.now();
      const event = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { data: { id: string } };
      received.push({ paymentId: event.data.id, at });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  const [demo] = await sql<{ id: string }[]>`select id from merchants where slug = 'demo'`;
  for (let i = 0; i < ENDPOINTS; i++) {
    const made = await createEndpoint(database.db, BENCH_ENCRYPTION_KEY, { allowLoopback: true }, demo!.id, null, { url: `${receiverUrl}/hook-${i}`, mode: "sandbox", events: ["payment.paid"] });
    if (!made.ok) throw new Error(JSON.stringify(made.fieldErrors));
  }
  const worker = await startWebhookWorker({ db: database.db, encryptionKey: BENCH_ENCRYPTION_KEY, url: { allowLoopback: true } }, database, { pumpIntervalMs: PUMP_MS });
  try {
    const waitFor = async (count: number) => {
      const deadline = Date.now() + 10 * 60_000;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`only ${received.length} of ${count} deliveries arrived`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };

    // 1. Backlog: every payment paid at once, then the worker drains the deliveries.
    const first = await seedPaymentBatch(sql, { tag: "WHB", count: backlog, merchantSlug: "demo", notifyUrl: `${receiverUrl}/unused` });
    for (const paymentId of first.paymentIds) await applyTransition(database.db, { paymentId, to: "paid", actor: "bench" });
    const drainStart = performance.now();
    await waitFor(backlog * ENDPOINTS);
    const drainSeconds = (performance.now() - drainStart) / 1000;

    // 2. Steady: a payment paid every 1/rate s; latency = receiver's reading − the transition's return.
    const second = await seedPaymentBatch(sql, { tag: "WHS", count: steady, merchantSlug: "demo", notifyUrl: `${receiverUrl}/unused` });
    const paidAt = new Map<string, number>();
    const before = received.length;
    for (const paymentId of second.paymentIds) {
      const started = performance.now();
      await applyTransition(database.db, { paymentId, to: "paid", actor: "bench" });
      paidAt.set(paymentId, performance.now());
      const wait = 1000 / ratePerSecond - (performance.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    await waitFor(before + steady * ENDPOINTS);
    const latencies = received.slice(before).map((r) => r.at - paidAt.get(r.paymentId)!);
    const latency = summarize(latencies);

    const [counts] = await sql<{ events: number; deliveries: number; delivered: number; attempts: number }[]>`
      select (select count(*)::int from webhook_events) as events, (select count(*)::int from webhook_deliveries) as deliveries,
             (select count(*)::int from webhook_deliveries where status = 'delivered') as delivered, (select count(*)::int from webhook_attempts) as attempts`;
    const perPair = new Map<string, number>();
    for (const r of received) perPair.set(r.paymentId, (perPair.get(r.paymentId) ?? 0) + 1);
    const exactlyOnce = [...perPair.values()].every((n) => n === ENDPOINTS) && perPair.size === backlog + steady;

    return {
      id: "webhooks",
      title: "Webhook fan-out (outbox → pg-boss → signed POST) to a bare node:http receiver",
      conditions: [
        `${ENDPOINTS} sandbox endpoints of the demo store subscribed to payment.paid, all on one local node:http receiver answering 204 at once${quick ? " (--quick)" : ""}.`,
        `Backlog: ${int(backlog)} payments moved to paid one after another (each transition writes its event and ${ENDPOINTS} deliveries in its own statement), then timed until every delivery arrived.`,
        `Steady: ${int(steady)} payments paid at ${ratePerSecond} per second; latency = the receiver reading the event − the paid transition returning, per (event, endpoint).`,
        `The worker runs in the bench process as the app runs it (pump every ${PUMP_MS} ms and again as each attempt ends, 40 attempts out at once, at most 10 per endpoint and 20 per store: the 5 endpoints here are one store's); PostgreSQL 15 on the same 2-core machine.`,
      ],
      rows: [
        { metric: "fan-out throughput (backlog drained)", value: `${int((backlog * ENDPOINTS) / drainSeconds)} deliveries/s`, baseline: `${int(backlog * ENDPOINTS)} deliveries in ${drainSeconds.toFixed(1)} s` },
        { metric: "delivery latency after paid p50 / p95 (steady)", value: `${ms(latency.p50)} / ${ms(latency.p95)}`, baseline: `pump every ${PUMP_MS} ms` },
        { metric: "delivery latency max (steady)", value: ms(latency.max) },
        { metric: "every paid payment's event reached every endpoint exactly once", value: exactlyOnce ? "yes" : "no", pass: exactlyOnce, invariant: true },
        { metric: "events / deliveries / delivered / attempts", value: `${int(counts!.events)} / ${int(counts!.deliveries)} / ${int(counts!.delivered)} / ${int(counts!.attempts)}` },
      ],
    };
  } finally {
    await worker.stop();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    await sql.end({ timeout: 5 });
    await database.close();
  }
}
