import { sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rowsOf } from "@/db/rows";

/**
 * The money invariants, stated as SQL over the stored rows: each query returns the rows that
 * break its rule (none on a healthy ledger). Read-only, so it runs anywhere, production included
 * (`npm run ledger:check`), and the tests run it after every scenario.
 */
export type Invariant = { name: string; rule: string; query: SQL };

const COLLECTED = sql.raw(`('paid', 'partially_refunded', 'refunded')`);
const UNDECIDED = sql.raw(`('created', 'pending', 'waiting_for_customer')`);

export const INVARIANTS: Invariant[] = [
  {
    name: "one_collection_per_transaction",
    rule: "a provider transaction collects at most one payment",
    query: sql`select provider::text, provider_reference, array_agg(id order by id) as payments
      from payments where status in ${COLLECTED} and provider_reference is not null
      group by provider, provider_reference having count(*) > 1`,
  },
  {
    name: "paid_has_matching_provider_answer",
    rule: "every collected payment has a provider answer saying paid, with our amount and currency",
    query: sql`select p.id, p.amount_minor, p.currency from payments p
      where p.status in ${COLLECTED} and not exists (
        select 1 from payment_events e where e.payment_id = p.id and e.type = 'status_check' and e.data->>'status' = 'paid'
          and upper(e.data->>'currency') = p.currency
          and (e.data->>'amount' = p.amount_minor::text or e.data->>'received' = coalesce(p.paid_amount_minor, p.amount_minor)::text))`,
  },
  {
    name: "undecided_has_scheduled_check",
    rule: "no undecided payment lacks a scheduled check",
    query: sql`select id, status::text from payments where status in ${UNDECIDED} and next_check_at is null`,
  },
  {
    name: "refunds_within_collected",
    rule: "refunds never exceed the collected amount",
    query: sql`select p.id, coalesce(p.paid_amount_minor, p.amount_minor) as collected, sum(r.amount_minor) as refunded
      from payments p join refunds r on r.payment_id = p.id and r.status <> 'failed'
      group by p.id having sum(r.amount_minor) > coalesce(p.paid_amount_minor, p.amount_minor)`,
  },
  {
    name: "one_transition_event_per_status_change",
    rule: "every status change has exactly one transition event: the events chain from created to the current status",
    query: sql`with chain as (
        select payment_id, id, from_status, to_status,
               lag(to_status) over (partition by payment_id order by id) as previous,
               row_number() over (partition by payment_id order by id desc) as from_end
        from payment_events where type = 'transition')
      select p.id, p.status::text, c.from_status::text, c.to_status::text, c.previous::text from payments p
      left join chain c on c.payment_id = p.id
      where (c.id is null and p.status <> 'created')
         or (c.id is not null and c.from_status is distinct from coalesce(c.previous, 'created'))
         or (c.from_end = 1 and c.to_status <> p.status)`,
  },
  {
    name: "one_payment_pays_an_order",
    rule: "every order is paid by at most one payment that is not a flagged double payment, and a paid order by exactly one",
    query: sql`select o.id, o.status::text, count(p.id) as paying from orders o
      left join payments p on p.order_id = o.id and p.status in ${COLLECTED} and p.flag is distinct from 'double_payment'
      group by o.id, o.status
      having count(p.id) > 1 or (o.status in ('paid', 'partially_refunded', 'refunded') and count(p.id) <> 1)`,
  },
];

export type Violation = { name: string; rule: string; count: number; rows: Record<string, unknown>[] };

/** Runs every invariant inside one read-only transaction (one consistent snapshot on a server). */
export async function checkLedger(db: Db, sample = 20): Promise<Violation[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set transaction isolation level repeatable read, read only`);
    const found: Violation[] = [];
    for (const invariant of INVARIANTS) {
      const result = await tx.execute(invariant.query);
      const rows = rowsOf(result);
      if (rows.length) found.push({ name: invariant.name, rule: invariant.rule, count: rows.length, rows: rows.slice(0, sample) });
    }
    return found;
  });
}
