"use server";
import { formArg } from "@/lib/validation";
import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { z } from "zod";
import { getDb } from "@/db";
import { providerId } from "@/db/schema/enums";
import { requireMerchant } from "@/lib/auth/guard";
import { formFieldNames } from "@/lib/dashboard/credential-fields";
import { sendSandboxTestNotification, switchToBuiltInSandbox, testAccountConnection } from "@/lib/dashboard/provider-connection";
import { saveProviderAccount, webhookUrl, type ConnectionTester } from "@/lib/dashboard/settings";
import { env } from "@/lib/env";
import { testConnection } from "@/lib/payments/connection";
import { getProvider } from "@/lib/payments/registry";
import { providerUrls, sandboxBase } from "@/lib/payments/urls";
import { formFields, keep, toFormState, type FormState } from "../_components/form-state";

/** What the provider form shows after any of its buttons: the message, and the connection test's outcome. */
export type AccountFormState = FormState & { outcome?: "works" | "refused" | "unreachable" };

const intentSchema = z.object({ intent: z.enum(["save", "test", "sandbox", "notify"]).catch("save"), provider: z.enum(providerId.enumValues).catch("cinetpay") });

/**
 * The provider form's one action; its submit buttons name what they ask (`intent`): save, test
 * the connection, switch to the built-in sandbox, or have the simulator send a test notification.
 * Whatever the outcome short of a save, the typed fields go back to the form (mode, identifiers,
 * the secrets typed in this submit; never a stored one).
 */
export async function saveProviderAccountAction(_prev: AccountFormState, form: FormData): Promise<AccountFormState> {
  form = formArg(form);
  // Owners only (lib/auth/permissions.ts), here and again in every lib function called.
  const ctx = await requireMerchant("settings");
  const e = env();
  const db = await getDb();
  const fields = formFields(form);
  const { intent, provider } = intentSchema.parse(fields);
  const t = await getTranslations("settings");
  const values = keep(fields, formFieldNames(provider));
  const tester: ConnectionTester = (p, mode, credentials) => testConnection({ urlsFor: (q, m) => providerUrls(q, m, e) }, p, mode, credentials);
  const name = getProvider(provider).displayName;

  if (intent === "test") {
    const result = await testAccountConnection(db, e.CAISSE_ENCRYPTION_KEY, ctx, fields, tester);
    if (!result.ok) return { ...(await toFormState(result, async () => "")), values };
    const { outcome } = result.connection;
    const message = outcome === "works" ? t("testWorks", { provider: name }) : outcome === "refused" ? t("testRefused", { provider: name }) : t("testUnreachable", { provider: name });
    return { ok: outcome === "works", message, outcome, values };
  }
  // Off in production unless asked for (SANDBOX_ENABLED): no simulator would answer.
  if ((intent === "sandbox" || intent === "notify") && !e.SANDBOX_ENABLED) return { ...(await toFormState({ ok: false, error: "sandbox_disabled" }, async () => "")), values };
  if (intent === "sandbox") {
    const result = await switchToBuiltInSandbox(db, e.CAISSE_ENCRYPTION_KEY, ctx, fields);
    const state = await toFormState(result, async () => t("sandboxOn"));
    if (state.ok) revalidatePath("/dashboard/settings");
    return state.ok ? state : { ...state, values };
  }
  if (intent === "notify") {
    const result = await sendSandboxTestNotification(db, e.CAISSE_ENCRYPTION_KEY, ctx, fields, {
      sandboxBase: (p) => sandboxBase(p, e),
      webhookUrl: (p) => webhookUrl(e.APP_URL, p, ctx.merchant.slug),
    });
    return { ...(await toFormState(result, async (r) => t("testNotificationSent", { status: r.status }))), values };
  }
  const result = await saveProviderAccount(db, e.CAISSE_ENCRYPTION_KEY, ctx, fields, tester);
  const state = await toFormState(result, async () => t("saved"));
  if (state.ok) revalidatePath("/dashboard/settings");
  return state.ok ? state : { ...state, values };
}
