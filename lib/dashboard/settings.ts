import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { providerAccounts } from "@/db/schema";
import { providerId } from "@/db/schema/enums";
import { hasRole, type MerchantContext } from "@/lib/auth/membership";
import { encryptJson } from "@/lib/crypto";
import { newId } from "@/lib/ids";
import { isCurrency, parseMoney } from "@/lib/money";
import { getProvider } from "@/lib/payments/registry";
import type { ProviderId } from "@/lib/payments/types";
import type { ActionResult } from "./payment-actions";
import { fieldErrorCodes } from "@/lib/validation";

/** Everything about an account except its credentials, which never leave the database. */
export async function listProviderAccounts(db: Db, merchantId: string) {
  return db
    .select({
      id: providerAccounts.id,
      provider: providerAccounts.provider,
      mode: providerAccounts.mode,
      enabled: providerAccounts.enabled,
      publicId: providerAccounts.publicId,
      feeRateBps: providerAccounts.feeRateBps,
      feeFixedMinor: providerAccounts.feeFixedMinor,
      settlementDelayDays: providerAccounts.settlementDelayDays,
      updatedAt: providerAccounts.updatedAt,
    })
    .from(providerAccounts)
    .where(eq(providerAccounts.merchantId, merchantId))
    .orderBy(asc(providerAccounts.provider));
}

/** The team lives in ./team (invitations, roles); re-exported for existing callers. */
export { listMembers } from "./team";

/** The credential fields a provider's schema asks for, to draw a write-only form. */
export function credentialFields(provider: ProviderId): string[] {
  const schema = getProvider(provider).credentialsSchema as unknown as { shape?: Record<string, unknown> };
  return schema.shape ? Object.keys(schema.shape) : [];
}

/** What the merchant pastes into the provider's dashboard. */
export const webhookUrl = (appUrl: string, provider: ProviderId, merchantSlug: string) => `${appUrl.replace(/\/$/, "")}/api/webhooks/${provider}/${merchantSlug}`;

const CRED_PREFIX = "cred_";

const accountSchema = z.object({
  provider: z.enum(providerId.enumValues),
  enabled: z.enum(["on"]).optional(),
  mode: z.enum(["sandbox", "live"], { error: "invalid" }),
  feeRateBps: z.coerce.number({ error: "fee_rate_invalid" }).int("fee_rate_invalid").min(0, "fee_rate_invalid").max(10_000, "fee_rate_invalid"),
  feeFixed: z.string().trim().max(20).default("0"),
  settlementDelayDays: z.coerce.number({ error: "delay_invalid" }).int("delay_invalid").min(0, "delay_invalid").max(60, "delay_invalid"),
});

/**
 * Saves one provider account. Credentials are write-only: blank fields keep what is stored;
 * typed ones must form a complete set valid for the provider, then are encrypted at once.
 */
export async function saveProviderAccount(db: Db, encryptionKey: string, ctx: MerchantContext, input: Record<string, unknown>): Promise<ActionResult> {
  if (!hasRole(ctx, "owner")) return { ok: false, error: "forbidden" };
  const parsed = accountSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid_input", fieldErrors: fieldErrorCodes(parsed.error) };
  const { provider, mode, feeRateBps, settlementDelayDays } = parsed.data;
  const currency = ctx.merchant.currency;
  const feeFixedMinor = parsed.data.feeFixed === "" ? 0 : isCurrency(currency) ? parseMoney(parsed.data.feeFixed, currency) : null;
  if (feeFixedMinor === null) return { ok: false, error: "invalid_input", fieldErrors: { feeFixed: "amount_invalid" } };

  const typed = Object.fromEntries(
    credentialFields(provider)
      .map((field) => [field, typeof input[`${CRED_PREFIX}${field}`] === "string" ? (input[`${CRED_PREFIX}${field}`] as string).trim() : ""])
      .filter(([, value]) => value !== ""),
  );
  const [existing] = await db
    .select({ id: providerAccounts.id })
    .from(providerAccounts)
    .where(and(eq(providerAccounts.merchantId, ctx.merchant.id), eq(providerAccounts.provider, provider)));
  let secrets: { credentialsEncrypted: string; publicId: string } | undefined;
  if (Object.keys(typed).length > 0 || !existing) {
    const credentials = getProvider(provider).credentialsSchema.safeParse(typed);
    // Field-level messages name the field only: the typed value is never echoed back.
    if (!credentials.success) return { ok: false, error: "invalid_input", fieldErrors: Object.fromEntries(credentials.error.issues.map((i) => [`${CRED_PREFIX}${String(i.path[0])}`, "credential_invalid"])) };
    secrets = { credentialsEncrypted: encryptJson(credentials.data, encryptionKey), publicId: getProvider(provider).publicId(credentials.data) };
  }
  const values = { mode, enabled: parsed.data.enabled === "on", feeRateBps, feeFixedMinor, settlementDelayDays, ...secrets };
  try {
    if (existing) await db.update(providerAccounts).set(values).where(eq(providerAccounts.id, existing.id));
    else await db.insert(providerAccounts).values({ id: newId("pac"), merchantId: ctx.merchant.id, provider, ...values, ...secrets! });
  } catch (error) {
    // provider_accounts_public_id_key: this provider account already belongs to another store.
    if (String((error as { cause?: { code?: string }; code?: string }).cause?.code ?? (error as { code?: string }).code) === "23505") {
      return { ok: false, error: "public_id_taken" };
    }
    throw error;
  }
  return { ok: true };
}
