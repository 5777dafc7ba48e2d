"use server";
import { formArg } from "@/lib/validation";
import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db";
import { requireMerchant } from "@/lib/auth/guard";
import { env } from "@/lib/env";
import { pumpWebhooksSoon } from "@/lib/webhooks/background";
import { createEndpointFor, deleteEndpointFor, resendFor, rotateSecretFor, sendTestFor, setEnabledFor } from "@/lib/webhooks/dashboard";
import { webhookUrlPolicy } from "@/lib/webhooks/deps";
import { formFields, keep, toFormState, type FormState } from "../../_components/form-state";

/** The add and rotate forms' state also carries the signing secret, the one time it can be shown. */
export type SecretState = FormState & { secret?: string };

const PAGE = "/dashboard/settings/developers";

export async function createWebhookEndpointAction(_prev: SecretState, form: FormData): Promise<SecretState> {
  form = formArg(form);
  const ctx = await requireMerchant("developers");
  const fields = { ...formFields(form), events: form.getAll("events").filter((v) => typeof v === "string") };
  const result = await createEndpointFor(await getDb(), env().CAISSE_ENCRYPTION_KEY, webhookUrlPolicy(), ctx, fields);
  const t = await getTranslations("webhooks");
  const state = await toFormState(result, async () => t("created"), "webhooks.errors");
  if (!result.ok) return { ...state, values: { ...keep(fields, ["url", "mode", "description"]), events: fields.events.join(",") } };
  revalidatePath(PAGE);
  return { ...state, secret: result.secret };
}

export async function rotateWebhookSecretAction(_prev: SecretState, form: FormData): Promise<SecretState> {
  form = formArg(form);
  const ctx = await requireMerchant("developers");
  const result = await rotateSecretFor(await getDb(), env().CAISSE_ENCRYPTION_KEY, ctx, formFields(form));
  const t = await getTranslations("webhooks");
  const state = await toFormState(result, async () => t("rotated"), "webhooks.errors");
  return result.ok ? { ...state, secret: result.secret } : state;
}

export async function setWebhookEndpointEnabledAction(_prev: FormState, form: FormData): Promise<FormState> {
  form = formArg(form);
  const ctx = await requireMerchant("developers");
  const t = await getTranslations("webhooks");
  const state = await toFormState(await setEnabledFor(await getDb(), ctx, formFields(form)), async (r) => t(r.enabled ? "enabledAgain" : "disabledNow"), "webhooks.errors");
  if (state.ok) {
    revalidatePath(PAGE);
    await pumpWebhooksSoon();
  }
  return state;
}

export async function deleteWebhookEndpointAction(_prev: FormState, form: FormData): Promise<FormState> {
  form = formArg(form);
  const ctx = await requireMerchant("developers");
  const t = await getTranslations("webhooks");
  const state = await toFormState(await deleteEndpointFor(await getDb(), ctx, formFields(form)), async () => t("deleted"), "webhooks.errors");
  if (state.ok) revalidatePath(PAGE);
  return state;
}

export async function sendWebhookTestAction(_prev: FormState, form: FormData): Promise<FormState> {
  form = formArg(form);
  const ctx = await requireMerchant("developers");
  const t = await getTranslations("webhooks");
  const state = await toFormState(await sendTestFor(await getDb(), ctx, formFields(form)), async () => t("testSent"), "webhooks.errors");
  if (state.ok) {
    await pumpWebhooksSoon();
    revalidatePath(PAGE);
  }
  return state;
}

export async function resendWebhookDeliveryAction(_prev: FormState, form: FormData): Promise<FormState> {
  form = formArg(form);
  const ctx = await requireMerchant("developers");
  const t = await getTranslations("webhooks");
  const state = await toFormState(await resendFor(await getDb(), ctx, formFields(form)), async () => t("resent"), "webhooks.errors");
  if (state.ok) {
    await pumpWebhooksSoon();
    revalidatePath(PAGE);
  }
  return state;
}
