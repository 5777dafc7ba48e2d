import type { Sql } from "postgres";
import { UNDECIDED_STATUSES } from "@/db/schema";

/**
 * What the database says about a chaos run's payments, against the simulator's ground truth (the
 * transactions it refused; every other one was paid before the first notification).
 * `answered`: payment ids whose notification got an HTTP answer (2xx or not). A payment
 * "reached the app" when it was answered or has a delivery row (a send cut by a kill may have
 * been recorded before the app died). A KKiaPay payment whose webhook never arrived cannot be
 * found by reconciliation (its transaction id came only with the webhook): it is "unfindable".
 */
export type ChaosPayments = { ids: string[]; refused: Set<string> };

export type ChaosState = {
  reached: number;
  reachedUndecided: number;
  neverArrived: number;
  neverArrivedUndecided: number;
  /** Never-arrived KKiaPay payments still undecided (see above). */
  unfindable: number;
  undecided: number;
  deliveriesUnprocessed: number;
};

export type ChaosVerification = ChaosState & {
  paidAtProvider: number;
  paidInCaisse: number;
  failedInCaisse: number;
  /** Decided, but not as the provider says (paid while refused, or anything else while paid). */
  wrong: number;
  /** Undecided with no scheduled check: nothing would ever decide them. */
  stranded: number;
  deliveries: number;
  /** Deliveries that used all their attempts while still unprocessed. */
  deliveriesGaveUp: number;
  /** Payments moved to a final status more than once, or paid ones with other than one move to paid. */
  doubleTransitions: number;
  /** Paid payments whose order is not paid. */
  ordersNotPaid: number;
};

const undecidedList = (sql: Sql) => sql`(${sql.unsafe(UNDECIDED_STATUSES.map((s) => `'${s}'`).join(", "))})`;

/** The few counts the wait after the storm polls. */
export async function chaosState(sql: Sql, payments: ChaosPayments, answered: Set<string>): Promise<ChaosState> {
  const [row] = await sql<ChaosState[]>`
    with p as (
      select p.id, p.provider, p.status in ${undecidedList(sql)} as undecided,
             (p.id = any(${[...answered]}::text[]) or exists (select 1 from notifications n where n.payment_id = p.id and n.verdict <> 'rejected')) as reached
      from payments p where p.id = any(${payments.ids}::text[])
    )
    select count(*) filter (where reached)::int as reached,
           count(*) filter (where reached and undecided)::int as "reachedUndecided",
           count(*) filter (where not reached)::int as "neverArrived",
           count(*) filter (where not reached and undecided)::int as "neverArrivedUndecided",
           count(*) filter (where not reached and undecided and provider = 'kkiapay')::int as unfindable,
           count(*) filter (where undecided)::int as undecided,
           (select count(*)::int from notifications n where n.payment_id = any(${payments.ids}::text[])
              and n.verdict in ('authenticated', 'unverifiable') and n.processed_at is null) as "deliveriesUnprocessed"
    from p`;
  return row!;
}

export async function verifyChaos(sql: Sql, payments: ChaosPayments, answered: Set<string>, maxDeliveryAttempts: number): Promise<ChaosVerification> {
  const state = await chaosState(sql, payments, answered);
  const ids = payments.ids;
  const [row] = await sql<Omit<ChaosVerification, keyof ChaosState>[]>`
    with p as (select id, order_id, status, next_check_at, id = any(${[...payments.refused]}::text[]) as refused from payments where id = any(${ids}::text[])),
    moves as (
      select payment_id, count(*) filter (where to_status not in ${undecidedList(sql)}) as n, count(*) filter (where to_status = 'paid') as to_paid
      from payment_events where payment_id = any(${ids}::text[]) and type = 'transition' group by payment_id
    ),
    deliveries as (select * from notifications where payment_id = any(${ids}::text[]) and verdict <> 'rejected')
    select count(*) filter (where not refused)::int as "paidAtProvider",
           count(*) filter (where status = 'paid')::int as "paidInCaisse",
           count(*) filter (where status = 'failed')::int as "failedInCaisse",
           count(*) filter (where status not in ${undecidedList(sql)} and (case when refused then status <> 'failed' else status <> 'paid' end))::int as wrong,
           count(*) filter (where status in ${undecidedList(sql)} and next_check_at is null)::int as stranded,
           (select count(*)::int from deliveries) as deliveries,
           (select count(*)::int from deliveries where processed_at is null and attempts >= ${maxDeliveryAttempts}) as "deliveriesGaveUp",
           (select count(*)::int from p join moves m on m.payment_id = p.id where m.n > 1 or (p.status = 'paid' and m.to_paid <> 1)) as "doubleTransitions",
           (select count(*)::int from p join orders o on o.id = p.order_id where p.status = 'paid' and o.status <> 'paid') as "ordersNotPaid"
    from p`;
  return { ...state, ...row! };
}
