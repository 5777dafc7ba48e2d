import { and, asc, desc, eq, gte, ilike, inArray, lt, lte, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { orders, payments } from "@/db/schema";
import { providerId } from "@/db/schema/enums";
import { encodeCursor, type Cursor, type OrderFilters } from "./filters";
import { searchPlan } from "./search";

export const PAGE_SIZE = 25;

/**
 * The payment an order row shows: the one that collected the money if any, otherwise the latest
 * attempt. A lateral join keeps it one row per order so keyset pagination stays on orders.
 */
function mainPayment() {
  return {
    id: payments.id,
    provider: payments.provider,
    method: payments.method,
    status: payments.status,
    providerReference: payments.providerReference,
    feeReportedMinor: payments.feeReportedMinor,
    feeEstimatedMinor: payments.feeEstimatedMinor,
    netMinor: payments.netMinor,
    settlementDate: payments.settlementDate,
    settlementReported: payments.settlementReported,
  };
}

export const mainPaymentQuery = (db: Db) =>
  db
    .select(mainPayment())
    .from(payments)
    .where(eq(payments.orderId, orders.id))
    .orderBy(sql`(${payments.status} in ('paid', 'partially_refunded', 'refunded')) desc`, desc(payments.createdAt), desc(payments.id))
    .limit(1)
    .as("p");

/** `%`, `_` and `\` typed by a merchant are literal characters, not wildcards. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function likePattern(text: string): string {
  return `%${escapeLike(text)}%`;
}

/** The orders a search finds (lib/dashboard/search.ts): each arm one index lookup, in this store only. */
function searchCondition(db: Db, merchantId: string, q: string): SQL {
  const plan = searchPlan(q);
  const orderArms: SQL[] = [];
  if (plan.emailPrefix) orderArms.push(sql`lower(${orders.customerEmail}) like ${`${escapeLike(plan.emailPrefix)}%`}`);
  if (plan.referenceFragment) orderArms.push(sql`${orders.reference} like ${likePattern(plan.referenceFragment)}`);
  // reverse() turns "ends with these digits" into a prefix the (merchant_id, reverse(phone)) btree serves.
  if (plan.phoneSuffix) orderArms.push(sql`reverse(${orders.customerPhone}) like ${`${[...plan.phoneSuffix].reverse().join("")}%`}`);
  if (plan.nameFragment) orderArms.push(ilike(orders.customerName, likePattern(plan.nameFragment)));
  const byPayment = db
    .select({ id: payments.orderId })
    .from(payments)
    .where(
      and(
        eq(payments.merchantId, merchantId),
        or(
          inArray(payments.reference, plan.exact),
          // Listing every provider lets the (provider, provider_reference) index answer.
          and(inArray(payments.provider, providerId.enumValues), eq(payments.providerReference, q)),
        ),
      ),
    );
  const candidates = orderArms.length
    ? db
        .select({ id: orders.id })
        .from(orders)
        .where(and(eq(orders.merchantId, merchantId), or(...orderArms)))
        .unionAll(byPayment)
    : byPayment;
  return inArray(orders.id, candidates);
}

export type OrderRow = Awaited<ReturnType<typeof listOrders>>["rows"][number];

type MainPayment = ReturnType<typeof mainPaymentQuery>;

/**
 * The filtered set's WHERE and ORDER BY, shared by the page (listOrders) and the CSV export's
 * COPY (csv-copy.ts), so both always select the same rows in the same order.
 */
export function orderSelection(db: Db, merchantId: string, filters: OrderFilters, p: MainPayment) {
  const sortColumn = filters.sort === "amount" ? orders.amountMinor : orders.createdAt;
  const order = filters.dir === "asc" ? asc : desc;
  const after = filters.dir === "asc" ? sql`>` : sql`<`;
  const conditions: (SQL | undefined)[] = [
    eq(orders.merchantId, merchantId),
    filters.status ? eq(p.status, filters.status) : undefined,
    filters.provider ? eq(p.provider, filters.provider) : undefined,
    filters.method ? eq(p.method, filters.method) : undefined,
    filters.createdFrom ? gte(orders.createdAt, filters.createdFrom) : undefined,
    filters.createdBefore ? lt(orders.createdAt, filters.createdBefore) : undefined,
    filters.minMinor !== undefined ? gte(orders.amountMinor, filters.minMinor) : undefined,
    filters.maxMinor !== undefined ? lte(orders.amountMinor, filters.maxMinor) : undefined,
    filters.q ? searchCondition(db, merchantId, filters.q) : undefined,
    filters.cursor
      ? sql`(${sortColumn}, ${orders.id}) ${after} (${filters.sort === "amount" ? sql`${filters.cursor.v}::bigint` : sql`${filters.cursor.v}::timestamptz`}, ${filters.cursor.id})`
      : undefined,
  ];
  return { where: and(...conditions), orderBy: [order(sortColumn), order(orders.id)] };
}

/**
 * One page of the merchant's orders. `merchantId` always comes from the session; every filter
 * is applied in SQL so the same function serves the page and the CSV stream.
 */
export async function listOrders(db: Db, merchantId: string, filters: OrderFilters, limit = PAGE_SIZE) {
  const p = mainPaymentQuery(db);
  const { where, orderBy } = orderSelection(db, merchantId, filters, p);
  const rows = await db
    .select({
      id: orders.id,
      reference: orders.reference,
      customerName: orders.customerName,
      customerEmail: orders.customerEmail,
      customerPhone: orders.customerPhone,
      amountMinor: orders.amountMinor,
      currency: orders.currency,
      orderStatus: orders.status,
      createdAt: orders.createdAt,
      // Postgres keeps microseconds, a JS Date only milliseconds: the cursor keeps the exact text.
      createdAtText: sql<string>`${orders.createdAt}::text`,
      payment: {
        id: p.id,
        provider: p.provider,
        method: p.method,
        status: p.status,
        providerReference: p.providerReference,
        feeReportedMinor: p.feeReportedMinor,
        feeEstimatedMinor: p.feeEstimatedMinor,
        netMinor: p.netMinor,
        settlementDate: p.settlementDate,
        settlementReported: p.settlementReported,
      },
    })
    .from(orders)
    .leftJoinLateral(p, sql`true`)
    .where(where)
    .orderBy(...orderBy)
    .limit(limit + 1);
  const page = rows.slice(0, limit).map(withMoney);
  const last = page.at(-1);
  const next: Cursor | undefined =
    rows.length > limit && last ? { v: filters.sort === "amount" ? last.amountMinor : last.createdAtText, id: last.id } : undefined;
  return { rows: page, next, nextCursor: next && encodeCursor(next) };
}

type RawRow = {
  amountMinor: number;
  payment: { feeReportedMinor: number | null; feeEstimatedMinor: number | null; netMinor: number | null; id: string | null } | null;
};

/** Fee = what the provider reported, else our estimate from the contract; the row says which. */
function withMoney<T extends RawRow>(row: T) {
  const reported = row.payment?.feeReportedMinor ?? null;
  const fee = reported ?? row.payment?.feeEstimatedMinor ?? null;
  return {
    ...row,
    payment: row.payment?.id ? row.payment : null,
    feeMinor: fee,
    feeReported: reported !== null,
    netMinor: row.payment?.netMinor ?? (fee === null ? null : row.amountMinor - fee),
  };
}

/**
 * The methods this merchant has seen, for the filter's choices. A recursive skip scan on
 * (merchant_id, method): one index probe per distinct method, instead of reading every payment.
 */
export async function merchantMethods(db: Db, merchantId: string): Promise<string[]> {
  const rows = await db
    .select({ method: sql<string>`m.method` })
    .from(
      sql`(with recursive m(method) as (
        (select method from payments where merchant_id = ${merchantId} order by method limit 1)
        union all
        select (select p.method from payments p where p.merchant_id = ${merchantId} and p.method > m.method order by p.method limit 1)
        from m where m.method is not null
      ) select method from m where method is not null) as m`,
    )
    .orderBy(sql`m.method`);
  return rows.map((r) => r.method);
}
