import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import { users } from "./auth";
import { createdAt } from "./columns";
import { providerMode } from "./enums";
import { merchants } from "./merchants";

/**
 * Outgoing webhooks (lib/webhooks): the merchant's endpoints, their signing secrets, the events
 * (a transactional outbox: written by the very statement that makes the change they report) and
 * one delivery per event and endpoint, with the log of its attempts.
 */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    /** we_… */
    id: text().primaryKey(),
    merchantId: text()
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    /** Sandbox endpoints get the events of sandbox payments only, live ones of live payments only. */
    mode: providerMode().notNull(),
    url: text().notNull(),
    description: varchar({ length: 200 }).notNull().default(""),
    /** The event types it is sent (payment.paid…). */
    events: text().array().notNull(),
    createdBy: text().references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    /** Set: nothing is sent to it until a person enables it again; events meanwhile wait for it when it was disabled for failing (lib/webhooks/events.ts), not when switched off. */
    disabledAt: timestamp({ withTimezone: true }),
    /** "failing" (disabled automatically after every attempt failed for days) or "manual". */
    disabledReason: text(),
    /** Attempts that failed in a row, whatever their event; a 2xx sets it back to 0. */
    consecutiveFailures: integer().notNull().default(0),
    lastSuccessAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("webhook_endpoints_merchant_idx").on(t.merchantId, t.mode),
    check("webhook_endpoints_disabled_reason", sql`${t.disabledReason} is null or ${t.disabledReason} in ('failing', 'manual')`),
  ],
);

/**
 * An endpoint's signing secrets (`whsec_` + base64 of 24 random bytes), AES-256-GCM encrypted at
 * rest. The current one has no expiry; a rotated one keeps signing beside it until expires_at, so
 * the merchant's server can switch keys without refusing a delivery.
 */
export const webhookSecrets = pgTable(
  "webhook_secrets",
  {
    id: uuid().primaryKey().defaultRandom(),
    endpointId: text()
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    secretEncrypted: text().notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("webhook_secrets_endpoint_idx").on(t.endpointId)],
);

/**
 * What happened, once per change (the outbox). `id` (msg_…) is the `webhook-id` every delivery
 * and retry of it carries. `snapshot` is the object's row as the statement that changed it left
 * it; `body` is the JSON rendered from it by the API's serializers at its first delivery, then
 * sent byte for byte the same to every endpoint and on every retry.
 */
export const webhookEvents = pgTable(
  "webhook_events",
  {
    /** msg_… and 32 hex digits, drawn by the database: events are written by SQL statements. */
    id: text()
      .primaryKey()
      .default(sql`('msg_' || replace(gen_random_uuid()::text, '-', ''))`),
    merchantId: text()
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    mode: providerMode().notNull(),
    type: text().notNull(),
    /** payment, refund, test… : which serializer renders the snapshot. */
    objectType: text().notNull(),
    snapshot: jsonb().$type<Record<string, unknown>>().notNull(),
    body: text(),
    createdAt: createdAt(),
  },
  // created_at alone: the retention sweep takes the oldest (lib/webhooks/retention.ts).
  (t) => [index("webhook_events_merchant_created_idx").on(t.merchantId, t.createdAt), index("webhook_events_created_idx").on(t.createdAt)],
);

/** One event to one endpoint: exactly one row per pair, whatever repeats. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid().primaryKey().defaultRandom(),
    eventId: text()
      .notNull()
      .references(() => webhookEvents.id, { onDelete: "cascade" }),
    endpointId: text()
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    merchantId: text()
      .notNull()
      .references(() => merchants.id, { onDelete: "cascade" }),
    status: text().notNull().default("pending"),
    /** Attempts started (an attempt cut by a crash counts: the next one is due at its retry time). */
    attempts: integer().notNull().default(0),
    /** The attempt count when the current schedule began (a resend starts the schedule again). */
    scheduleFrom: integer().notNull().default(0),
    /** When it may be tried next (pending only); pushed ahead while a job holds it, so a lost job is tried again. */
    nextAttemptAt: timestamp({ withTimezone: true }).defaultNow(),
    lastAttemptAt: timestamp({ withTimezone: true }),
    /** While a job holds it (claimed, its answer not yet recorded): counts toward its endpoint's share (lib/webhooks/deliver.ts claimDue). */
    inFlightUntil: timestamp({ withTimezone: true }),
    deliveredAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_event_endpoint_key").on(t.eventId, t.endpointId),
    index("webhook_deliveries_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index("webhook_deliveries_endpoint_due_idx").on(t.endpointId, t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index("webhook_deliveries_in_flight_idx").on(t.inFlightUntil).where(sql`${t.status} = 'pending'`),
    index("webhook_deliveries_endpoint_created_idx").on(t.endpointId, t.createdAt),
    check("webhook_deliveries_status", sql`${t.status} in ('pending', 'delivered', 'failed')`),
  ],
);

/** The delivery log: every attempt, what the endpoint answered (an excerpt) and how long it took. */
export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: uuid().primaryKey().defaultRandom(),
    deliveryId: uuid()
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    endpointId: text()
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    attempt: integer().notNull(),
    startedAt: timestamp({ withTimezone: true }).notNull(),
    durationMs: integer().notNull(),
    responseStatus: integer(),
    /** The first 1 KB of the answer's body. */
    responseBody: text(),
    error: text(),
  },
  (t) => [index("webhook_attempts_delivery_idx").on(t.deliveryId, t.attempt), index("webhook_attempts_endpoint_idx").on(t.endpointId, t.startedAt)],
);
