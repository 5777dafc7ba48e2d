import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { providerAccounts } from "@/db/schema";
import { providerId } from "@/db/schema/enums";
import type { MerchantContext } from "@/lib/auth/membership";
import { can } from "@/lib/auth/permissions";
import { decryptJson, encryptJson } from "@/lib/crypto";
import { newId } from "@/lib/ids";
import { isCurrency, parseMoney } from "@/lib/money";
import { parseFeeRate } from "@/lib/payments/fee-rate";
import { getProvider } from "@/lib/payments/registry";
import { MODES, setColumns } from "@/lib/payments/credential-sets";
import type { ConnectionResult, Mode, ProviderId } from "@/lib/payments/types";
import { FORBIDDEN, type ActionResult } from "./payment-actions";
import { fieldErrorCodes, hasControlChars } from "@/lib/validation";

/**
 * Everything about an account except its credentials, which never leave the database: of each
 * set, only the public identifier (null: no set for that mode).
 */
export async function listProviderAccounts(db: Db, merchantId: string) {
  return db
    .select({
      id: providerAccounts.id,
      provider: providerAccounts.provider,
      mode: providerAccounts.mode,
      enabled: providerAccounts.enabled,
      sandboxPublicId: providerAccounts.sandboxPublicId,
      livePublicId: providerAccounts.livePublicId,
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

/** The form's names for one mode's set: `<mode>_cred_<field>` inputs and a `<mode>_forget` box. */
export const credentialInput = (mode: Mode, field: string) => `${mode}_cred_${field}`;
export const forgetInput = (mode: Mode) => `${mode}_forget`;

const accountSchema = z.object({
  provider: z.enum(providerId.enumValues),
  enabled: z.enum(["on"]).optional(),
  mode: z.enum(MODES, { error: "invalid" }),
  /** A percentage as typed ("3,5 %", "3.5"), read into basis points by parseFeeRate; blank is 0 %. */
  feeRate: z
    .string({ error: "fee_rate_invalid" })
    .max(20, "fee_rate_invalid")
    .default("0")
    .transform((typed, ctx) => {
      const rate = parseFeeRate(typed);
      if ("bps" in rate) return rate.bps;
      ctx.addIssue({ code: "custom", message: rate.error });
      return z.NEVER;
    }),
  feeFixed: z.string().trim().max(20).default("0"),
  settlementDelayDays: z.coerce.number({ error: "delay_invalid" }).int("delay_invalid").min(0, "delay_invalid").max(60, "delay_invalid"),
  sandbox_forget: z.enum(["on"]).optional(),
  live_forget: z.enum(["on"]).optional(),
  /** "Save anyway": live credentials the connection test did not pass are stored all the same. */
  override: z.enum(["on"]).optional(),
});

type SetChange = { columns: ReturnType<typeof setColumns>; present: boolean; typed?: Record<string, unknown> } | { fieldErrors: Record<string, string> };

/** The non-blank credential fields typed for `mode`, trimmed. */
export function typedCredentials(provider: ProviderId, input: Record<string, unknown>, mode: Mode): Record<string, string> {
  return Object.fromEntries(
    credentialFields(provider)
      .map((field) => [field, input[credentialInput(mode, field)]])
      .filter((entry): entry is [string, string] => typeof entry[1] === "string" && entry[1].trim() !== "")
      .map(([field, value]) => [field, value.trim()]),
  );
}

/**
 * The set `typed` makes over what is `stored` (blank fields keep their stored value), checked
 * against the provider's schema, or the fields at fault. Field-level messages name the field
 * only: a typed value is never echoed back in an error.
 */
export function mergedSet(provider: ProviderId, mode: Mode, typed: Record<string, string>, stored: Record<string, unknown> | null): { credentials: Record<string, unknown> } | { fieldErrors: Record<string, string> } {
  // A key is printable: a control character is a paste gone wrong (and a NUL, in the public id, a database error).
  const garbled = Object.keys(typed).filter((field) => hasControlChars(typed[field]!));
  if (garbled.length) return { fieldErrors: Object.fromEntries(garbled.map((field) => [credentialInput(mode, field), "credential_invalid"])) };
  const credentials = getProvider(provider).credentialsSchema.safeParse({ ...(stored ?? {}), ...typed });
  if (!credentials.success) return { fieldErrors: Object.fromEntries(credentials.error.issues.map((i) => [credentialInput(mode, String(i.path[0])), "credential_invalid"])) };
  return { credentials: credentials.data as Record<string, unknown> };
}

/** A stored set, decrypted, or null when there is none or it cannot be read (then only a whole new set replaces it). */
export function openStoredSet(encrypted: string | null | undefined, encryptionKey: string): Record<string, unknown> | null {
  if (!encrypted) return null;
  try {
    return decryptJson<Record<string, unknown>>(encrypted, encryptionKey);
  } catch {
    return null;
  }
}

/**
 * What the form asks of one mode's set: typed fields replace theirs in it (the result must be a
 * set valid for the provider, encrypted at once), the forget box deletes it unless the account is
 * to use it, and nothing typed keeps what is stored.
 */
function changeSet(provider: ProviderId, encryptionKey: string, input: Record<string, unknown>, mode: Mode, active: Mode, stored: Record<string, unknown> | null, present: boolean, forget: boolean): SetChange {
  const typed = typedCredentials(provider, input, mode);
  if (Object.keys(typed).length > 0) {
    const merged = mergedSet(provider, mode, typed, stored);
    if ("fieldErrors" in merged) return merged;
    const set = { publicId: getProvider(provider).publicId(merged.credentials), encrypted: encryptJson(merged.credentials, encryptionKey) };
    return { columns: setColumns(mode, set), present: true, typed: merged.credentials };
  }
  if (forget && present) {
    if (mode === active) return { fieldErrors: { [forgetInput(mode)]: "credentials_in_use" } };
    return { columns: setColumns(mode, null), present: false };
  }
  return { columns: {}, present };
}

/** Asks the provider whether it takes a set of credentials (lib/payments/connection.ts, bound to its hosts). */
export type ConnectionTester = (provider: ProviderId, mode: Mode, credentials: unknown) => Promise<ConnectionResult>;

/** The form's field for the connection test's verdict on a mode's set. */
export const connectionField = (mode: Mode) => `${mode}_connection`;

/** A failed test's reason, as an error code. */
export const connectionError = (outcome: ConnectionResult["outcome"]) => (outcome === "refused" ? "connection_refused" : "connection_unreachable");

/**
 * Saves one provider account: its mode, fees, and its sandbox and live credential sets, which are
 * write-only (blank fields keep what is stored). The mode chosen must have its set. With a
 * `tester` (the dashboard always gives one), newly typed live credentials are first tried on the
 * provider, and a set it refuses or could not be asked about is only stored with `override`.
 */
export async function saveProviderAccount(db: Db, encryptionKey: string, ctx: MerchantContext, input: Record<string, unknown>, tester?: ConnectionTester): Promise<ActionResult> {
  if (!can(ctx, "settings")) return FORBIDDEN;
  const parsed = accountSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid_input", fieldErrors: fieldErrorCodes(parsed.error) };
  const { provider, mode, feeRate: feeRateBps, settlementDelayDays } = parsed.data;
  const currency = ctx.merchant.currency;
  const feeFixedMinor = parsed.data.feeFixed === "" ? 0 : isCurrency(currency) ? parseMoney(parsed.data.feeFixed, currency) : null;
  if (feeFixedMinor === null) return { ok: false, error: "invalid_input", fieldErrors: { feeFixed: "amount_invalid" } };

  const [existing] = await db
    .select({ id: providerAccounts.id, sandbox: providerAccounts.sandboxCredentialsEncrypted, live: providerAccounts.liveCredentialsEncrypted })
    .from(providerAccounts)
    .where(and(eq(providerAccounts.merchantId, ctx.merchant.id), eq(providerAccounts.provider, provider)));
  const changes = MODES.map((m) =>
    changeSet(provider, encryptionKey, input, m, mode, openStoredSet(existing?.[m], encryptionKey), Boolean(existing?.[m]), parsed.data[`${m}_forget`] === "on"),
  );
  const fieldErrors = Object.assign({}, ...changes.map((c) => ("fieldErrors" in c ? c.fieldErrors : {}))) as Record<string, string>;
  const active = changes[MODES.indexOf(mode)]!;
  if ("present" in active && !active.present) fieldErrors.mode = "mode_without_credentials";
  if (Object.keys(fieldErrors).length > 0) return { ok: false, error: "invalid_input", fieldErrors };

  const live = changes[MODES.indexOf("live")]!;
  if (tester && "typed" in live && live.typed && parsed.data.override !== "on") {
    const result = await tester(provider, "live", live.typed);
    if (result.outcome !== "works") return { ok: false, error: connectionError(result.outcome), fieldErrors: { [connectionField("live")]: connectionError(result.outcome) } };
  }

  const secrets = Object.assign({}, ...changes.map((c) => ("columns" in c ? c.columns : {}))) as ReturnType<typeof setColumns>;
  const values = { mode, enabled: parsed.data.enabled === "on", feeRateBps, feeFixedMinor, settlementDelayDays, ...secrets };
  return storeAccount(db, ctx, provider, existing?.id ?? null, values);
}

type AccountValues = Partial<typeof providerAccounts.$inferInsert>;

/** Writes an account's row, or creates it; a public id another store holds, or a set deleted meanwhile, is a refusal, not a 500. */
export async function storeAccount(db: Db, ctx: MerchantContext, provider: ProviderId, existingId: string | null, values: AccountValues & { mode: Mode }): Promise<ActionResult> {
  try {
    if (existingId) await db.update(providerAccounts).set(values).where(and(eq(providerAccounts.id, existingId), eq(providerAccounts.merchantId, ctx.merchant.id)));
    else await db.insert(providerAccounts).values({ id: newId("pac"), merchantId: ctx.merchant.id, provider, ...values });
  } catch (error) {
    const code = String((error as { cause?: { code?: string }; code?: string }).cause?.code ?? (error as { code?: string }).code);
    // provider_accounts_{sandbox,live}_public_id_key: this provider account already belongs to another store.
    if (code === "23505") return { ok: false, error: "public_id_taken" };
    // provider_accounts_active_set: a concurrent save deleted the set this one switches to.
    if (code === "23514") return { ok: false, error: "invalid_input", fieldErrors: { mode: "mode_without_credentials" } };
    throw error;
  }
  return { ok: true };
}
