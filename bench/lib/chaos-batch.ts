import type { Sql } from "postgres";
import type { Db } from "@/db/client";
import { SEED_MERCHANTS } from "@/db/seed-data";
import type { ChaosPayments } from "./chaos-verify";
import type { Notification } from "./notify-load";
import { mulberry32 as seededRandom } from "@/lib/prng";
import { kkiapayNotificationsFor, seedKkiapayBatch } from "./seed-kkiapay";
import { notificationsFor, seedPaymentBatch, type PaymentBatch } from "./seed-notify";

/**
 * The chaos run's payments: three quarters CinetPay (found by our reference: the status API
 * answers for any of them), one quarter KKiaPay (found only through the transaction id its signed
 * webhook carries), every 10th refused at the provider. Their notifications are shuffled
 * together (seeded) and keyed by their place in the storm.
 */
export type ChaosBatch = {
  payments: ChaosPayments;
  notifications: Notification[];
  /** Payment id of each notification key. */
  paymentOf: string[];
  counts: { cinetpay: number; kkiapay: number };
  /** The sandbox accounts whose status API an outage takes down. */
  accounts: { provider: "cinetpay" | "kkiapay"; publicId: string }[];
};

export async function seedChaosBatch(sql: Sql, db: Db, options: { tag: string; count: number; merchant: string; appUrl: string; refusedEvery: number; seed: number }): Promise<ChaosBatch> {
  const accounts = SEED_MERCHANTS.find((m) => m.slug === options.merchant)!.accounts;
  const secret = (provider: string) => accounts.find((a) => a.provider === provider)!.credentials.secretKey!;
  const kkiapayCount = Math.floor(options.count / 4);
  const common = { merchantSlug: options.merchant, refusedEvery: options.refusedEvery, firstCheckInMs: 15_000, initTransitions: true };
  const webhook = (provider: string) => `${options.appUrl}/api/webhooks/${provider}/${options.merchant}`;
  const cinetpay = await seedPaymentBatch(sql, { ...common, tag: `${options.tag}C`, count: options.count - kkiapayCount, notifyUrl: webhook("cinetpay") });
  const kkiapay = await seedKkiapayBatch(sql, { ...common, tag: `${options.tag}K`, count: kkiapayCount });

  const tagged = (batch: PaymentBatch, list: Notification[], path: string) => list.map((n) => ({ ...n, path, paymentId: batch.paymentIds[n.key]! }));
  const all = [
    ...tagged(cinetpay, await notificationsFor(db, cinetpay, secret("cinetpay")), new URL(webhook("cinetpay")).pathname),
    ...tagged(kkiapay, await kkiapayNotificationsFor(db, kkiapay, secret("kkiapay")), new URL(webhook("kkiapay")).pathname),
  ];
  if (all.length !== options.count) throw new Error(`chaos batch: ${all.length} notifications for ${options.count} payments`);
  const random = seededRandom(options.seed);
  const order = all.map((n) => ({ n, sort: random() })).sort((a, b) => a.sort - b.sort);
  const refused = new Set([cinetpay, kkiapay].flatMap((b) => [...b.refused].map((k) => b.paymentIds[k]!)));
  return {
    payments: { ids: [...cinetpay.paymentIds, ...kkiapay.paymentIds], refused },
    notifications: order.map(({ n }, key) => ({ key, headers: n.headers, body: n.body, path: n.path })),
    paymentOf: order.map(({ n }) => n.paymentId),
    counts: { cinetpay: cinetpay.count, kkiapay: kkiapay.count },
    accounts: [
      { provider: "cinetpay", publicId: cinetpay.siteId },
      { provider: "kkiapay", publicId: kkiapay.siteId },
    ],
  };
}
