import { z } from "zod";
import type { webhookEndpoints } from "@/db/schema";
import { createEndpoint, getEndpoint, listEndpoints } from "@/lib/webhooks/endpoints";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/events";
import type { ApiCall } from "../deps";
import { invalid, json, notFound } from "../errors";
import type { Answer } from "../idempotency";
import { parseBody } from "../request";

type EndpointRow = typeof webhookEndpoints.$inferSelect;

/** An endpoint as the API shows it; its secret only in the answer that created it. */
export function webhookEndpointView(e: EndpointRow) {
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

const createSchema = z.strictObject({
  url: z.string().trim().min(1).max(2048),
  enabled_events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1).max(WEBHOOK_EVENT_TYPES.length),
  description: z.string().max(200).default(""),
});

const URL_MESSAGES: Record<string, string> = {
  url_invalid: "url must be an http(s) URL without credentials.",
  https_required: "A live endpoint's url must be https.",
  url_private: "url must reach a public address.",
};

/** POST /webhook-endpoints: an endpoint of the key's mode; the answer holds its signing secret, once. */
export async function createWebhookEndpoint(call: ApiCall, body: string): Promise<Answer> {
  const input = parseBody(createSchema, body);
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
  return { status: 201, body: { ...webhookEndpointView(created.endpoint), secret: created.secret } };
}

export async function listWebhookEndpoints(call: ApiCall): Promise<Response> {
  const rows = await listEndpoints(call.deps.payments.db, call.caller.merchantId, call.caller.mode);
  return json({ object: "list", data: rows.map(webhookEndpointView), has_more: false });
}

export async function getWebhookEndpoint(call: ApiCall, id: string): Promise<Response> {
  const row = await getEndpoint(call.deps.payments.db, call.caller.merchantId, id, call.caller.mode);
  if (!row) throw notFound("webhook endpoint");
  return json(webhookEndpointView(row));
}
