import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rowsOf } from "@/db/rows";

/** How long an event and its delivery log are kept once nothing is left to deliver (Stripe keeps events 30 days too). */
export const EVENT_RETENTION_DAYS = 30;

/**
 * Deletes events past retention whose deliveries are all decided, with their deliveries and
 * attempts (cascade), a batch at a time so that no statement holds the tables long, batch after
 * batch while they come back full and `budgetMs` lasts. A delivery still pending past retention
 * waits for an endpoint that is switched off (or was disabled for failing a month ago): it is
 * marked failed first, so that a dead endpoint cannot keep customers' data for ever. Returns how
 * many events went; the worker runs it now and then (lib/webhooks/worker.ts).
 */
export async function pruneWebhookEvents(db: Db, { days = EVENT_RETENTION_DAYS, batch = 1_000, budgetMs = 10_000 } = {}): Promise<number> {
  const cutoff = sql`now() - ${`${days} days`}::interval`;
  await db.execute(sql`
    update webhook_deliveries d set status = 'failed', next_attempt_at = null, in_flight_until = null
    from webhook_endpoints ep
    where ep.id = d.endpoint_id and ep.disabled_at is not null and d.status = 'pending' and d.created_at < ${cutoff}`);
  const until = Date.now() + budgetMs;
  let total = 0;
  for (;;) {
    const [gone] = rowsOf<{ n: number }>(
      await db.execute(sql`
        with old as (
          select e.id from webhook_events e
          where e.created_at < ${cutoff}
            and not exists (select 1 from webhook_deliveries d where d.event_id = e.id and d.status = 'pending')
          order by e.created_at limit ${batch}
        ), gone as (delete from webhook_events where id in (select id from old) returning 1)
        select count(*)::int as n from gone`),
    );
    total += gone?.n ?? 0;
    if ((gone?.n ?? 0) < batch || Date.now() >= until) return total;
  }
}
