import type { Sql } from "postgres";
import type { Db } from "@/db/client";
import type { ChaosPayments } from "./chaos-verify";
import type { ChaosStore } from "./chaos-stores";
import type { Notification } from "./notify-load";
import { mulberry32 as seededRandom } from "@/lib/prng";
import { kkiapayNotificationsFor, seedKkiapayBatch } from "./seed-kkiapay";
import { notificationsFor, seedPaymentBatch, type PaymentBatch } from "./seed-notify";

/**
 * The chaos run's payments, spread evenly over the stores (chaos-stores.ts): in each, three
 * quarters CinetPay (found by our reference: the status API answers for any of them), one quarter
 * KKiaPay (found only through the transaction id its signed webhook carries), every 10th refused
 * at the provider. All stores' notifications are shuffled together (seeded) and keyed by their
 * place in the storm.
 */
export type ChaosBatch = {
  payments: ChaosPayments;
  notifications: Notification[];
  /** Payment id of each notification key. */
  paymentOf: string[];
  counts: { cinetpay: number; kkiapay: number; stores: number };
  /** The sandbox accounts whose status API an outage takes down: every store's. */
  accounts: { provider: "cinetpay" | "kkiapay"; publicId: string }[];
};

export async function seedChaosBatch(sql: Sql, db: Db, options: { tag: string; count: number; stores: ChaosStore[]; appUrl: string; refusedEvery: number; seed: number }): Promise<ChaosBatch> {
  const all: (Notification & { path: string; paymentId: string })[] = [];
  const batches: PaymentBatch[] = [];
  const accounts: ChaosBatch["accounts"] = [];
  const counts = { cinetpay: 0, kkiapay: 0, stores: options.stores.length };
  for (const [i, store] of options.stores.entries()) {
    // An even share of the payments, the first stores taking the remainder.
    const count = Math.floor(options.count / options.stores.length) + (i < options.count % options.stores.length ? 1 : 0);
    if (count === 0) continue;
    const kkiapayCount = Math.floor(count / 4);
    const common = { merchantSlug: store.slug, refusedEvery: options.refusedEvery, firstCheckInMs: 15_000, initTransitions: true };
    const webhook = (provider: string) => `${options.appUrl}/api/webhooks/${provider}/${store.slug}`;
    const n = String(i + 1).padStart(2, "0");
    const cinetpay = await seedPaymentBatch(sql, { ...common, tag: `${options.tag}C${n}`, count: count - kkiapayCount, notifyUrl: webhook("cinetpay") });
    const kkiapay = kkiapayCount > 0 ? await seedKkiapayBatch(sql, { ...common, tag: `${options.tag}K${n}`, count: kkiapayCount }) : null;
    const tagged = (batch: PaymentBatch, list: Notification[], path: string) => list.map((x) => ({ ...x, path, paymentId: batch.paymentIds[x.key]! }));
    all.push(...tagged(cinetpay, await notificationsFor(db, cinetpay, store.cinetpaySecret), new URL(webhook("cinetpay")).pathname));
    batches.push(cinetpay);
    accounts.push({ provider: "cinetpay", publicId: cinetpay.siteId });
    counts.cinetpay += cinetpay.count;
    if (kkiapay) {
      all.push(...tagged(kkiapay, await kkiapayNotificationsFor(db, kkiapay, store.kkiapaySecret), new URL(webhook("kkiapay")).pathname));
      batches.push(kkiapay);
      counts.kkiapay += kkiapay.count;
    }
    // Every store's KKiaPay account goes down in an outage, whether it has payments in the batch or not.
    accounts.push({ provider: "kkiapay", publicId: store.kkiapayPublicId });
  }
  if (all.length !== options.count) throw new Error(`chaos batch: ${all.length} notifications for ${options.count} payments`);
  const random = seededRandom(options.seed);
  const order = all.map((n) => ({ n, sort: random() })).sort((a, b) => a.sort - b.sort);
  const refused = new Set(batches.flatMap((b) => [...b.refused].map((k) => b.paymentIds[k]!)));
  return {
    payments: { ids: batches.flatMap((b) => b.paymentIds), refused },
    notifications: order.map(({ n }, key) => ({ key, headers: n.headers, body: n.body, path: n.path })),
    paymentOf: order.map(({ n }) => n.paymentId),
    counts,
    accounts,
  };
}
