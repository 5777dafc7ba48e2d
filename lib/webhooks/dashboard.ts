import { z } from "zod";
import type { Db } from "@/db/client";
import type { MerchantContext } from "@/lib/auth/membership";
import { can } from "@/lib/auth/permissions";
import { FORBIDDEN, type ActionResult } from "@/lib/dashboard/payment-actions";
import { logger } from "@/lib/log";
import { recordId } from "@/lib/validation";
import { createEndpoint, deleteEndpoint, resendDelivery, rotateSecret, sendTestEvent, setEndpointEnabled } from "./endpoints";
import type { UrlPolicy } from "./url-guard";

/**
 * The dashboard's webhook management (Settings → Developers), owners only like the API keys
 * ("developers"): each function checks the permission and scopes every row to the member's
 * store. Changes go to the "webhooks" log with ids, never secrets.
 */
const audit = (ctx: MerchantContext, event: string, details: Record<string, unknown>) =>
  logger("webhooks").info({ merchantId: ctx.merchant.id, actorUserId: ctx.user.id, ...details }, event);

const endpointRef = z.object({ endpointId: recordId });
const deliveryRef = z.object({ deliveryId: z.uuid() });

/** The form sends events as repeated checkboxes: `events` arrives as a list. */
export async function createEndpointFor(db: Db, encryptionKey: string, policy: UrlPolicy, ctx: MerchantContext, input: unknown): Promise<ActionResult<{ endpointId: string; secret: string }>> {
  if (!can(ctx, "developers")) return FORBIDDEN;
  const created = await createEndpoint(db, encryptionKey, policy, ctx.merchant.id, ctx.user.id, input);
  if (!created.ok) {
    const { form, ...fieldErrors } = created.fieldErrors;
    return { ok: false, error: form ?? "invalid_input", fieldErrors };
  }
  audit(ctx, "webhook endpoint created", { endpointId: created.endpoint.id, mode: created.endpoint.mode });
  return { ok: true, endpointId: created.endpoint.id, secret: created.secret };
}

export async function rotateSecretFor(db: Db, encryptionKey: string, ctx: MerchantContext, input: unknown): Promise<ActionResult<{ secret: string }>> {
  if (!can(ctx, "developers")) return FORBIDDEN;
  const parsed = endpointRef.safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid_input" };
  const secret = await rotateSecret(db, encryptionKey, ctx.merchant.id, parsed.data.endpointId);
  if (!secret) return { ok: false, error: "not_found" };
  audit(ctx, "webhook secret rotated", { endpointId: parsed.data.endpointId });
  return { ok: true, secret };
}

export async function setEnabledFor(db: Db, ctx: MerchantContext, input: unknown): Promise<ActionResult<{ enabled: boolean }>> {
  if (!can(ctx, "developers")) return FORBIDDEN;
  const parsed = endpointRef.extend({ enabled: z.enum(["true", "false"]) }).safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid_input" };
  const enabled = parsed.data.enabled === "true";
  if (!(await setEndpointEnabled(db, ctx.merchant.id, parsed.data.endpointId, enabled))) return { ok: false, error: "not_found" };
  audit(ctx, enabled ? "webhook endpoint enabled" : "webhook endpoint disabled", { endpointId: parsed.data.endpointId });
  return { ok: true, enabled };
}

export async function deleteEndpointFor(db: Db, ctx: MerchantContext, input: unknown): Promise<ActionResult> {
  if (!can(ctx, "developers")) return FORBIDDEN;
  const parsed = endpointRef.safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid_input" };
  if (!(await deleteEndpoint(db, ctx.merchant.id, parsed.data.endpointId))) return { ok: false, error: "not_found" };
  audit(ctx, "webhook endpoint deleted", { endpointId: parsed.data.endpointId });
  return { ok: true };
}

export async function sendTestFor(db: Db, ctx: MerchantContext, input: unknown): Promise<ActionResult<{ eventId: string }>> {
  if (!can(ctx, "developers")) return FORBIDDEN;
  const parsed = endpointRef.safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid_input" };
  const eventId = await sendTestEvent(db, ctx.merchant.id, parsed.data.endpointId);
  return eventId ? { ok: true, eventId } : { ok: false, error: "not_found" };
}

export async function resendFor(db: Db, ctx: MerchantContext, input: unknown): Promise<ActionResult> {
  if (!can(ctx, "developers")) return FORBIDDEN;
  const parsed = deliveryRef.safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid_input" };
  return (await resendDelivery(db, ctx.merchant.id, parsed.data.deliveryId)) ? { ok: true } : { ok: false, error: "not_found" };
}
