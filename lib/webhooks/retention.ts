import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";

/** How long an event and its delivery log are kept once nothing is left to deliver (Stripe keeps events 30 days too). */
export const EVENT_RETENTION_DAYS = 30;

/**
 * Deletes events past retention whose deliveries are all decided, with their deliveries and
 * attempts (cascade), a batch at a time so that one run never holds the table long. Returns how
 * many went; the worker runs it now and then (lib/webhooks/worker.ts).
 */
export async function pruneWebhookEvents(db: Db, { days = EVENT_RETENTION_DAYS, batch = 1_000 } = {}): Promise<number> {
  const result = await db.execute(sql`
    with old as (
      select e.id from webhook_events e
      where e.created_at < now() - ${`${days} days`}::interval
        and not exists (select 1 from webhook_deliveries d where d.event_id = e.id and d.status = 'pending')
      order by e.created_at limit ${batch}
    ), gone as (delete from webhook_events where id in (select id from old) returning 1)
    select count(*)::int as n from gone`);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { n: number }[];
  return rows[0]?.n ?? 0;
}
