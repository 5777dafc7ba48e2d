import { and, eq, inArray, like } from "drizzle-orm";
import { encryptJson } from "@/lib/crypto";
import { newId } from "@/lib/ids";
import { hashPassword } from "@/lib/password";
import { setColumns } from "@/lib/payments/credential-sets";
import { estimateFee } from "@/lib/payments/fees";
import { estimateSettlementDate } from "@/lib/payments/settlement";
import { COUNTRY_PROFILES } from "@/lib/stores/countries";
import type { Db } from "./client";
import * as s from "./schema";
import { SEED_CUSTOMERS, SEED_MERCHANTS, type SeedMerchant } from "./seed-data";
import { mulberry32 } from "@/lib/prng";

export type SeedOptions = {
  encryptionKey: string;
  /** Historical orders per merchant. */
  orders?: number;
  now?: Date;
};

type PaymentStatus = (typeof s.paymentStatus.enumValues)[number];
type OrderStatus = (typeof s.orderStatus.enumValues)[number];

/** Idempotent: everything is keyed on natural keys (slug, e-mail, sku, provider, reference). */
export async function seedDemo(db: Db, options: SeedOptions): Promise<void> {
  for (const merchant of SEED_MERCHANTS) {
    const merchantId = await upsertMerchant(db, merchant, options.encryptionKey);
    await seedHistory(db, merchantId, merchant, options.orders ?? 200, options.now ?? new Date());
  }
}

/** One merchant with its people, catalog, sandbox accounts and links (benches seed extra stores with it). */
export async function upsertMerchant(db: Db, m: SeedMerchant, encryptionKey: string): Promise<string> {
  await db
    .insert(s.merchants)
    .values({ id: newId("mer"), slug: m.slug, name: m.name, country: m.country, currency: m.currency, defaultLocale: m.defaultLocale, timeZone: COUNTRY_PROFILES[m.country]?.timeZone })
    .onConflictDoNothing();
  const [merchant] = await db.select({ id: s.merchants.id }).from(s.merchants).where(eq(s.merchants.slug, m.slug));
  if (!merchant) throw new Error(`seed: merchant ${m.slug} missing after insert`);

  for (const u of m.users) {
    const [existing] = await db.select({ id: s.users.id }).from(s.users).where(eq(s.users.email, u.email));
    const userId = existing?.id ?? newId("usr");
    if (!existing) {
      await db.insert(s.users).values({ id: userId, email: u.email, name: u.name, passwordHash: await hashPassword(u.password) });
    }
    await db.insert(s.members).values({ id: newId("mem"), merchantId: merchant.id, userId, role: u.role }).onConflictDoNothing();
  }

  if (m.products.length > 0) {
    await db
      .insert(s.products)
      .values(
        m.products.map((p) => ({
          id: newId("prd"),
          merchantId: merchant.id,
          sku: p.sku,
          name: p.name,
          description: p.description,
          imageUrl: p.image,
          priceMinor: p.priceMinor,
          currency: m.currency,
        })),
      )
      .onConflictDoNothing();
  }

  await db
    .insert(s.providerAccounts)
    .values(
      m.accounts.map((a) => ({
        id: newId("pac"),
        merchantId: merchant.id,
        provider: a.provider,
        mode: "sandbox" as const,
        enabled: true,
        ...setColumns("sandbox", { publicId: a.publicId, encrypted: encryptJson(a.credentials, encryptionKey) }),
        feeRateBps: a.feeRateBps,
        feeFixedMinor: a.feeFixedMinor,
        settlementDelayDays: a.settlementDelayDays,
      })),
    )
    .onConflictDoNothing();
  if (m.links.length > 0) {
    await db
      .insert(s.paymentLinks)
      .values(m.links.map((l) => ({ ...l, merchantId: merchant.id, currency: m.currency })))
      .onConflictDoNothing();
  }
  return merchant.id;
}

function pickWeighted<T extends { weight: number }>(items: T[], r: number): T {
  const total = items.reduce((sum, i) => sum + i.weight, 0);
  let x = r * total;
  for (const item of items) {
    x -= item.weight;
    if (x < 0) return item;
  }
  return items[items.length - 1]!;
}

const OUTCOMES: { status: PaymentStatus; weight: number }[] = [
  { status: "paid", weight: 64 },
  { status: "failed", weight: 12 },
  { status: "cancelled", weight: 6 },
  { status: "expired", weight: 5 },
  { status: "refunded", weight: 3 },
  { status: "partially_refunded", weight: 3 },
  { status: "pending", weight: 3 },
  { status: "waiting_for_customer", weight: 4 },
];

const FAILURES: Record<string, { code: string; message: string }[]> = {
  cinetpay: [
    { code: "602", message: "INSUFFISENT_BALANCE" },
    { code: "604", message: "OTP_CODE_ERROR" },
    { code: "600", message: "PAYMENT_FAILED" },
  ],
  "orange-money": [{ code: "FAILED", message: "FAILED" }],
  kkiapay: [
    { code: "insufficient_fund", message: "Solde insuffisant" },
    { code: "wrong_pin", message: "Code PIN incorrect" },
  ],
  ipay: [
    { code: "fe2707etr5s4wq", message: "Failed: not all parameters fulfilled" },
    { code: "dtfi4p7yty45wq", message: "Paid less than required" },
  ],
};

const COLLECTED = new Set<PaymentStatus>(["paid", "partially_refunded", "refunded"]);
const NOT_FINAL = new Set<PaymentStatus>(["created", "pending", "waiting_for_customer"]);
const MINUTE = 60_000;

async function seedHistory(db: Db, merchantId: string, m: SeedMerchant, count: number, now: Date) {
  const existing = await db
    .select({ reference: s.orders.reference })
    .from(s.orders)
    .where(and(eq(s.orders.merchantId, merchantId), like(s.orders.reference, "H%")));
  const have = new Set(existing.map((o) => o.reference));
  if (have.size >= count) return;

  const products = await db.select().from(s.products).where(eq(s.products.merchantId, merchantId));
  products.sort((a, b) => a.sku.localeCompare(b.sku));
  const accounts = await db.select().from(s.providerAccounts).where(eq(s.providerAccounts.merchantId, merchantId));
  const accountOf = new Map(accounts.map((a) => [a.provider, a]));
  const customers = SEED_CUSTOMERS[m.country] ?? [];
  // Seeded by the slug: every fresh database gets the same demo history.
  const rand = mulberry32([...m.slug].reduce((h, c) => h * 31 + c.charCodeAt(0), 7));

  const orders: (typeof s.orders.$inferInsert)[] = [];
  const items: (typeof s.orderItems.$inferInsert)[] = [];
  const payments: (typeof s.payments.$inferInsert)[] = [];
  const events: (typeof s.paymentEvents.$inferInsert)[] = [];
  const refunds: (typeof s.refunds.$inferInsert)[] = [];

  for (let i = 1; i <= count; i++) {
    // Draw every random number even for orders that exist, so the sequence never shifts.
    const draws = Array.from({ length: 12 }, rand);
    const reference = `H${String(i).padStart(5, "0")}`;
    if (have.has(reference)) continue;
    const [dAge, dItems, dCustomer, dRoute, dOutcome, dRetry, dConfirm, dFail, dRefund, dQty, dP1, dP2] = draws as [
      number, number, number, number, number, number, number, number, number, number, number, number,
    ];

    let outcome = pickWeighted(OUTCOMES, dOutcome).status;
    // Spread over 90 days, oldest first; undecided payments are recent, as they would be.
    const createdAt = NOT_FINAL.has(outcome)
      ? new Date(now.getTime() - (2 + dAge * 40) * MINUTE)
      : new Date(now.getTime() - ((count - i) / count) * 90 * 24 * 60 * MINUTE - dAge * 6 * 60 * MINUTE - 60 * MINUTE);
    if (createdAt.getTime() > now.getTime() - MINUTE) outcome = "pending";

    const orderId = newId("ord");
    const lines = 1 + Math.floor(dItems * 3);
    let amount = 0;
    for (let l = 0; l < lines; l++) {
      const product = products[Math.floor(((l === 0 ? dP1 : dP2) * products.length + l) % products.length)]!;
      const quantity = 1 + Math.floor(dQty * 3);
      amount += product.priceMinor * quantity;
      items.push({ id: newId("itm"), orderId, productId: product.id, name: product.name, unitPriceMinor: product.priceMinor, quantity, totalMinor: product.priceMinor * quantity });
    }
    const customer = customers[Math.floor(dCustomer * customers.length)]!;
    const route = pickWeighted(m.history, dRoute);
    const account = accountOf.get(route.provider)!;

    const attempts: PaymentStatus[] = COLLECTED.has(outcome) && dRetry < 0.12 ? ["failed", outcome] : [outcome];
    let orderStatus: OrderStatus = outcome === "cancelled" ? "cancelled" : "open";
    let paidAt: Date | null = null;

    attempts.forEach((status, n) => {
      const paymentId = newId("pay");
      const started = new Date(createdAt.getTime() + n * 4 * MINUTE);
      const confirmed = new Date(started.getTime() + (20 + dConfirm * 280) * 1000);
      const failure = FAILURES[route.provider]![Math.floor(dFail * FAILURES[route.provider]!.length)]!;
      const collected = COLLECTED.has(status);
      const feeEstimated = collected ? estimateFee(amount, account) : null;
      const feeReported = collected && route.provider === "kkiapay" ? feeEstimated : null;
      const fee = feeReported ?? feeEstimated;
      const settlementDate = collected ? estimateSettlementDate(confirmed, account.settlementDelayDays, COUNTRY_PROFILES[m.country]?.timeZone ?? "UTC") : null;
      const paymentReference = `CS${m.slug.toUpperCase()}${reference}${n}`;
      const refundAmount =
        status === "refunded" ? amount : status === "partially_refunded" ? Math.min(amount, Math.max(1, Math.round((amount * (0.2 + dRefund * 0.5)) / 5) * 5)) : 0;
      if (collected) {
        paidAt = confirmed;
        orderStatus = status as OrderStatus;
      }
      payments.push({
        id: paymentId,
        orderId,
        merchantId,
        providerAccountId: account.id,
        provider: route.provider,
        method: route.method,
        reference: paymentReference,
        providerReference: NOT_FINAL.has(status) ? null : `${route.provider === "ipay" ? "QK" : "MP"}${Math.floor(dConfirm * 1e8)}${n}`,
        amountMinor: amount,
        currency: m.currency,
        status,
        failureCode: status === "failed" ? failure.code : null,
        failureMessage: status === "failed" ? failure.message : null,
        feeReportedMinor: feeReported,
        feeEstimatedMinor: feeEstimated,
        // Net of refunds, as refundPayment keeps it.
        netMinor: fee === null ? null : amount - fee - refundAmount,
        settlementDate,
        settlementReported: collected && route.provider === "cinetpay",
        customerPhone: customer.phone,
        expiresAt: route.provider === "orange-money" ? new Date(started.getTime() + 10 * MINUTE) : null,
        paidAt: collected ? confirmed : null,
        lastCheckedAt: NOT_FINAL.has(status) ? started : confirmed,
        nextCheckAt: NOT_FINAL.has(status) ? new Date(now.getTime() + MINUTE) : null,
        createdAt: started,
        updatedAt: NOT_FINAL.has(status) ? started : confirmed,
      });
      const finalStatus: PaymentStatus = status === "refunded" || status === "partially_refunded" ? "paid" : status;
      events.push(
        { paymentId, merchantId, type: "init_request", actor: "seed", data: { reference: paymentReference, amount, currency: m.currency }, createdAt: started },
        { paymentId, merchantId, type: "transition", fromStatus: "created", toStatus: "pending", actor: "seed", data: {}, createdAt: started },
      );
      if (collected) {
        // The provider's answer every collected payment rests on (the ledger checks it is there).
        events.push({ paymentId, merchantId, type: "status_check", actor: "seed", data: { status: "paid", providerStatus: "seeded", amount, currency: m.currency }, createdAt: confirmed });
      }
      if (finalStatus !== "pending") {
        events.push({ paymentId, merchantId, type: "transition", fromStatus: "pending", toStatus: finalStatus, actor: "seed", data: {}, createdAt: confirmed });
      }
      if (status === "refunded" || status === "partially_refunded") {
        const refundedAt = new Date(confirmed.getTime() + 2 * 24 * 60 * MINUTE);
        const api = route.provider === "kkiapay" || route.provider === "ipay";
        refunds.push({
          id: newId("rfd"),
          paymentId,
          merchantId,
          kind: api ? "api" : "manual",
          status: "succeeded",
          amountMinor: refundAmount,
          currency: m.currency,
          reason: "Retour client",
          instructions: api ? null : "Remboursé par transfert mobile money depuis le compte marchand.",
          createdAt: refundedAt,
        });
        events.push({ paymentId, merchantId, type: "transition", fromStatus: "paid", toStatus: status, actor: "seed", data: { refund: refundAmount }, createdAt: refundedAt });
      }
    });

    orders.push({
      id: orderId,
      merchantId,
      reference,
      amountMinor: amount,
      currency: m.currency,
      status: orderStatus,
      customerName: customer.name,
      customerEmail: customer.email,
      customerPhone: customer.phone,
      customerCountry: m.country,
      locale: m.defaultLocale,
      paidAt,
      createdAt,
      updatedAt: createdAt,
    });
  }

  await db.transaction(async (tx) => {
    for (const batch of chunks(orders)) await tx.insert(s.orders).values(batch);
    for (const batch of chunks(items)) await tx.insert(s.orderItems).values(batch);
    for (const batch of chunks(payments)) await tx.insert(s.payments).values(batch);
    for (const batch of chunks(events)) await tx.insert(s.paymentEvents).values(batch);
    for (const batch of chunks(refunds)) await tx.insert(s.refunds).values(batch);
  });
}

function chunks<T>(rows: T[], size = 200): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/** Counts used by tests and the CLI to show what the seed produced. */
export async function seedCounts(db: Db) {
  const count = async (table: Parameters<Db["$count"]>[0]) => db.$count(table);
  const demoIds = db.select({ id: s.merchants.id }).from(s.merchants).where(inArray(s.merchants.slug, SEED_MERCHANTS.map((m) => m.slug)));
  return {
    merchants: await db.$count(s.merchants, inArray(s.merchants.id, demoIds)),
    users: await count(s.users),
    members: await count(s.members),
    products: await count(s.products),
    providerAccounts: await count(s.providerAccounts),
    orders: await count(s.orders),
    orderItems: await count(s.orderItems),
    payments: await count(s.payments),
    paymentEvents: await count(s.paymentEvents),
    refunds: await count(s.refunds),
  };
}
