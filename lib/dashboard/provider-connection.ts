import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { providerAccounts } from "@/db/schema";
import { providerId } from "@/db/schema/enums";
import type { MerchantContext } from "@/lib/auth/membership";
import { can } from "@/lib/auth/permissions";
import { encryptJson } from "@/lib/crypto";
import { MODES } from "@/lib/payments/credential-sets";
import { getProvider } from "@/lib/payments/registry";
import type { ConnectionResult, ProviderId } from "@/lib/payments/types";
import { STARTING_CONTRACTS } from "@/lib/payments/fees";
import { generateSandboxCredentials } from "@/lib/sandbox/credentials";
import { SANDBOX_PROVIDERS } from "@/lib/sandbox/registry";
import { FORBIDDEN, type ActionResult } from "./payment-actions";
import { mergedSet, openStoredSet, storeAccount, typedCredentials, type ConnectionTester } from "./settings";

/**
 * Connecting a provider from the settings page: the built-in sandbox in one click, a connection
 * test of the credentials typed (or stored), and a test notification sent by the simulator.
 * Every function scopes to the session's merchant and asks for the owner's "settings" right.
 */

const providerSchema = z.object({ provider: z.enum(providerId.enumValues) });
const testSchema = providerSchema.extend({ mode: z.enum(MODES, { error: "invalid" }) });

async function accountRow(db: Db, ctx: MerchantContext, provider: ProviderId) {
  const [row] = await db
    .select()
    .from(providerAccounts)
    .where(and(eq(providerAccounts.merchantId, ctx.merchant.id), eq(providerAccounts.provider, provider)));
  return row ?? null;
}

/**
 * "Use the built-in sandbox": the account switches to sandbox and is enabled. It gets a fresh
 * sandbox set, generated for the simulator, unless it has one already (payments made with it are
 * still asked about with it).
 */
export async function switchToBuiltInSandbox(db: Db, encryptionKey: string, ctx: MerchantContext, input: Record<string, unknown>): Promise<ActionResult<{ generated: boolean }>> {
  if (!can(ctx, "settings")) return FORBIDDEN;
  const parsed = providerSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid_input" };
  const { provider } = parsed.data;
  const row = await accountRow(db, ctx, provider);
  if (row?.sandboxCredentialsEncrypted && row.sandboxPublicId) {
    const saved = await storeAccount(db, ctx, provider, row.id, { mode: "sandbox", enabled: true });
    return saved.ok ? { ok: true, generated: false } : saved;
  }
  const credentials = generateSandboxCredentials(provider);
  const set = { sandboxPublicId: getProvider(provider).publicId(credentials), sandboxCredentialsEncrypted: encryptJson(credentials, encryptionKey) };
  // A new account gets a starting contract; an existing one keeps the merchant's.
  const saved = await storeAccount(db, ctx, provider, row?.id ?? null, { mode: "sandbox", enabled: true, ...set, ...(row ? {} : STARTING_CONTRACTS[provider]) });
  return saved.ok ? { ok: true, generated: true } : saved;
}

/**
 * "Test connection" for the mode chosen in the form: what is typed there, over what is stored for
 * that mode, is tried on the provider (the simulator in sandbox). Nothing is stored.
 */
export async function testAccountConnection(db: Db, encryptionKey: string, ctx: MerchantContext, input: Record<string, unknown>, tester: ConnectionTester): Promise<ActionResult<{ connection: ConnectionResult }>> {
  if (!can(ctx, "settings")) return FORBIDDEN;
  const parsed = testSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid_input" };
  const { provider, mode } = parsed.data;
  const row = await accountRow(db, ctx, provider);
  const stored = openStoredSet(mode === "sandbox" ? row?.sandboxCredentialsEncrypted : row?.liveCredentialsEncrypted, encryptionKey);
  const typed = typedCredentials(provider, input, mode);
  if (!stored && Object.keys(typed).length === 0) return { ok: false, error: "invalid_input", fieldErrors: { mode: "mode_without_credentials" } };
  const merged = mergedSet(provider, mode, typed, stored);
  if ("fieldErrors" in merged) return { ok: false, error: "invalid_input", fieldErrors: merged.fieldErrors };
  return { ok: true, connection: await tester(provider, mode, merged.credentials) };
}

export type TestNotificationDeps = {
  /** /sandbox/<provider> where the simulators are served (the adapters' sandbox base). */
  sandboxBase: (provider: ProviderId) => string;
  /** The merchant's notification URL for the provider, as the settings page shows it. */
  webhookUrl: (provider: ProviderId) => string;
  fetch?: typeof fetch;
};

/**
 * "Send a test notification": asks the simulator, through its control API and with the account's
 * sandbox keys, to deliver one notification to the merchant's URL, and says what the URL answered.
 */
export async function sendSandboxTestNotification(db: Db, encryptionKey: string, ctx: MerchantContext, input: Record<string, unknown>, deps: TestNotificationDeps): Promise<ActionResult<{ status: number }>> {
  if (!can(ctx, "settings")) return FORBIDDEN;
  const parsed = providerSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: "invalid_input" };
  const { provider } = parsed.data;
  const row = await accountRow(db, ctx, provider);
  const credentials = openStoredSet(row?.sandboxCredentialsEncrypted, encryptionKey);
  const simulator = SANDBOX_PROVIDERS[provider];
  if (!row?.sandboxPublicId || !credentials || !simulator) return { ok: false, error: "sandbox_missing" };
  let answer: { status?: number | null; error?: string | null };
  try {
    const res = await (deps.fetch ?? fetch)(`${deps.sandboxBase(provider)}/_control/test-notification`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-sandbox-secret": simulator.controlSecret(credentials as Record<string, string>) },
      body: JSON.stringify({ accountId: row.sandboxPublicId, url: deps.webhookUrl(provider) }),
      signal: AbortSignal.timeout(15_000),
    });
    if (!res.ok) return { ok: false, error: "sandbox_unreachable" };
    answer = (await res.json()) as typeof answer;
  } catch {
    return { ok: false, error: "sandbox_unreachable" };
  }
  return typeof answer.status === "number" ? { ok: true, status: answer.status } : { ok: false, error: "notification_not_delivered" };
}
