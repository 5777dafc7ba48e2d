import { sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";

/**
 * The events a merchant's endpoint can subscribe to. Each is written as part of the change it
 * reports (a transactional outbox): a CTE of that change's own statement (webhookEventSql), or an
 * insert in its transaction (insertWebhookEvent). `webhook.test` is sent on request to one
 * endpoint only and cannot be subscribed to.
 */
export const WEBHOOK_EVENT_TYPES = ["checkout.session.completed", "payment.paid", "payment.failed", "payment.refunded", "refund.succeeded", "refund.failed", "exception.opened"] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
export const TEST_EVENT_TYPE = "webhook.test";

/** Columns of a payment row never copied into an event's snapshot: secrets and the shopper's next step. */
const PAYMENT_PRIVATE = ["provider_token", "stored_secret_encrypted", "next_action", "stored"];
/** A payments row (alias `row`) as an event's snapshot. */
export const paymentSnapshot = (row: string) => sql.raw(`to_jsonb(${row}) - ${PAYMENT_PRIVATE.map((c) => `'${c}'`).join(" - ")}`);
export const refundSnapshot = (row: string) => sql.raw(`to_jsonb(${row}) - 'idempotency_key'`);

/**
 * An endpoint that gets new events: enabled, or disabled for failing (its deliveries wait, claims
 * skip them, and go once it is enabled again: the merchant's system was down, not unwanted). One a
 * person switched off gets nothing meanwhile.
 */
const RECEIVING = sql.raw(`(ep.disabled_at is null or ep.disabled_reason = 'failing')`);

/**
 * Two data-modifying CTEs for a change's own statement: `<name>` writes one event per row of
 * `source` and `<name>_fanout` one delivery of each to every endpoint of that store and mode
 * subscribed to the type at that moment. `source` selects `merchant_id`, `mode` and `snapshot`
 * (jsonb) from the CTEs before it; no row, no event. Nor is there one when no endpoint would
 * receive it: most stores have none, and an event is a copy of the customer's data kept only to
 * be delivered (there is no events API to read it back). Adding an event type to a statement is one
 * call: `webhookEventSql("session_event", "checkout.session.completed", "checkout_session",
 * sql\`select s.merchant_id, s.mode, to_jsonb(s) as snapshot from completed s\`)`.
 */
export function webhookEventSql(name: string, type: string, objectType: string, source: SQL): SQL {
  const event = sql.identifier(name);
  return sql`
    ${event} as (
      insert into webhook_events (merchant_id, mode, type, object_type, snapshot)
      select src.merchant_id, src.mode, ${type}::text, ${objectType}::text, src.snapshot from (${source}) src
      where exists (
        select 1 from webhook_endpoints ep where ep.merchant_id = src.merchant_id and ep.mode = src.mode and ${type}::text = any(ep.events) and ${RECEIVING}
      )
      returning id, merchant_id, mode, type
    ), ${sql.identifier(`${name}_fanout`)} as (
      insert into webhook_deliveries (event_id, endpoint_id, merchant_id)
      select e.id, ep.id, e.merchant_id from ${event} e
      join webhook_endpoints ep on ep.merchant_id = e.merchant_id and ep.mode = e.mode and e.type = any(ep.events) and ${RECEIVING}
      on conflict (event_id, endpoint_id) do nothing
      returning id
    )`;
}

/** One event as its own statement, for a change made by several statements in one transaction (`db` is that transaction). */
export async function insertWebhookEvent(db: Db, type: string, objectType: string, source: SQL): Promise<void> {
  await db.execute(sql`with ${webhookEventSql("webhook_event", type, objectType, source)} select (select count(*) from webhook_event)::int as events`);
}
