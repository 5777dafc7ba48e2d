import { z } from "zod";
import { and, desc, eq } from "drizzle-orm";
import { webhookEndpoints } from "@/db/schema";
import { logger } from "@/lib/log";
import { createEndpoint, deleteEndpoint, getEndpoint } from "@/lib/webhooks/endpoints";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/events";
import type { ApiCall } from "../deps";
import type { RouteInput } from "../define-route";
import { invalid, notFound } from "../errors";
import type { Answer } from "../idempotency";
import { keysetPage, type ListQuery } from "../pagination";
import type { WebhookEndpointObject } from "../schemas";

type EndpointRow = typeof webhookEndpoints.$inferSelect;

/** An endpoint as the API shows it; its secret only in the answer that created it. */
export function webhookEndpointView(e: EndpointRow): WebhookEndpointObject {
  return {
    id: e.id,
    object: "webhook_endpoint" as const,
    url: e.url,
    description: e.description,
    enabled_events: e.events,
    livemode: e.mode === "live",
    status: e.disabledAt ? ("disabled" as const) : ("enabled" as const),
    disabled_reason: e.disabledReason,
    created: e.createdAt.toISOString(),
  };
}

export const createWebhookEndpointBody = z.strictObject({
  url: z.string().trim().min(1).max(2048).describe("Where events are POSTed: https on a public address (a sandbox key may use http://localhost in development)."),
  enabled_events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1).max(WEBHOOK_EVENT_TYPES.length).describe("The event types this endpoint receives."),
  description: z.string().max(200).default("").describe("A note for you, e.g. which system this is."),
});

const URL_MESSAGES: Record<string, string> = {
  url_invalid: "url must be an http(s) URL without credentials.",
  https_required: "A live endpoint's url must be https.",
  url_private: "url must reach a public address.",
};

/** POST /webhook-endpoints: an endpoint of the key's mode; the answer holds its signing secret, once. */
export async function createWebhookEndpoint(call: ApiCall, { body: input }: RouteInput<undefined, z.output<typeof createWebhookEndpointBody>>): Promise<Answer> {
  const created = await createEndpoint(call.deps.payments.db, call.deps.payments.encryptionKey, call.deps.webhookUrls ?? { allowLoopback: false }, call.caller.merchantId, null, {
    url: input.url,
    mode: call.caller.mode,
    events: input.enabled_events,
    description: input.description,
  });
  if (!created.ok) {
    const [field, code] = Object.entries(created.fieldErrors)[0]!;
    if (field === "url") throw invalid(code, URL_MESSAGES[code] ?? "Invalid url.", "url", 422);
    if (code === "too_many") throw invalid("too_many_endpoints", "This store has the most endpoints it may have.", null, 422);
    throw invalid("parameter_invalid", `${field} is invalid.`, field === "events" ? "enabled_events" : field, 422);
  }
  logger("webhooks").info({ merchantId: call.caller.merchantId, apiKeyId: call.caller.keyId, endpointId: created.endpoint.id, mode: created.endpoint.mode }, "webhook endpoint created");
  // The secret is shown once: a replay under the Idempotency-Key answers the endpoint without it.
  const view = webhookEndpointView(created.endpoint);
  return { status: 201, body: { ...view, secret: created.secret }, replay: { ...view, secret: null } };
}

/** GET /webhook-endpoints: the key's store's and mode's, newest first, paged like every list. */
export async function listWebhookEndpoints(call: ApiCall, { query }: RouteInput<ListQuery, undefined>): Promise<Answer> {
  const db = call.deps.payments.db;
  const scope = and(eq(webhookEndpoints.merchantId, call.caller.merchantId), eq(webhookEndpoints.mode, call.caller.mode))!;
  const page = await keysetPage(db, webhookEndpoints, scope, query, (where, limit) =>
    db.select().from(webhookEndpoints).where(where).orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id)).limit(limit),
  );
  return { status: 200, body: { ...page, data: page.data.map(webhookEndpointView) } };
}

export async function getWebhookEndpoint(call: ApiCall, { params }: RouteInput<undefined, undefined>): Promise<Answer> {
  const row = await getEndpoint(call.deps.payments.db, call.caller.merchantId, params.id!, call.caller.mode);
  if (!row) throw notFound("webhook endpoint");
  return { status: 200, body: webhookEndpointView(row) };
}

/** DELETE /webhook-endpoints/{id}: only one of the key's store and mode; another's is not found. */
export async function deleteWebhookEndpoint(call: ApiCall, { params }: RouteInput<undefined, undefined>): Promise<Answer> {
  const id = params.id!;
  if (!(await deleteEndpoint(call.deps.payments.db, call.caller.merchantId, id, call.caller.mode))) throw notFound("webhook endpoint");
  // As the dashboard's deletion is (lib/webhooks/dashboard.ts): ids, never secrets.
  logger("webhooks").info({ merchantId: call.caller.merchantId, apiKeyId: call.caller.keyId, endpointId: id }, "webhook endpoint deleted");
  return { status: 200, body: { id, object: "webhook_endpoint", deleted: true } };
}
