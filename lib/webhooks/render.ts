import { getTableColumns } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { checkoutSessions, payments, refunds, type webhookEvents } from "@/db/schema";
import { sessionView } from "@/lib/api/resources/checkout-sessions";
import { paymentView } from "@/lib/api/resources/payments";
import { refundView } from "@/lib/api/resources/refunds";

/**
 * An event's body: `{type, timestamp, data}`, `data` being the object as the merchant API shows
 * it (GET /api/v1/payments/{id}…), rendered by the API's own serializers from the snapshot the
 * change's statement took. An exception's payment also says which exception.
 */
export type WebhookPayload = { type: string; timestamp: string; data: Record<string, unknown> };

/** A row from its to_jsonb() snapshot: each column's value read back as the driver would hand it to drizzle. */
export function rowFromSnapshot<T extends PgTable>(table: T, snapshot: Record<string, unknown>): T["$inferSelect"] {
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = snapshot[key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as T["$inferSelect"];
}

/** `appUrl`: the public origin a checkout session's `url` is on. */
export function renderPayload(event: Pick<typeof webhookEvents.$inferSelect, "type" | "objectType" | "snapshot" | "createdAt">, appUrl = ""): WebhookPayload {
  return { type: event.type, timestamp: event.createdAt.toISOString(), data: renderObject(event.type, event.objectType, event.snapshot, appUrl) };
}

function renderObject(type: string, objectType: string, snapshot: Record<string, unknown>, appUrl: string): Record<string, unknown> {
  if (objectType === "payment") {
    const payment = rowFromSnapshot(payments, snapshot);
    return type === "exception.opened" ? { ...paymentView(payment), exception: { reason: payment.flag } } : paymentView(payment);
  }
  if (objectType === "refund") return refundView(rowFromSnapshot(refunds, snapshot));
  if (objectType === "checkout_session") {
    // Completed by the paid transition that wrote it: the snapshot adds the paying payment and when.
    const completedAt = new Date(String(snapshot.completed_at));
    const session = { ...rowFromSnapshot(checkoutSessions, snapshot), completedAt, paymentId: String(snapshot.payment_id), orderStatus: "paid" };
    return sessionView(appUrl, session, completedAt);
  }
  return snapshot;
}
