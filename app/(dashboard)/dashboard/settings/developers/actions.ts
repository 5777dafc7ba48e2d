"use server";
import { formArg } from "@/lib/validation";
import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db";
import { createApiKey, revokeApiKey } from "@/lib/api/keys";
import { requireMerchant } from "@/lib/auth/guard";
import { formFields, keep, toFormState, type FormState } from "../../_components/form-state";

/** The create form's state also carries the new key, the one time it can be shown. */
export type CreateKeyState = FormState & { key?: string };

export async function createApiKeyAction(_prev: CreateKeyState, form: FormData): Promise<CreateKeyState> {
  form = formArg(form);
  const ctx = await requireMerchant("developers");
  const fields = formFields(form);
  const result = await createApiKey(await getDb(), ctx, fields);
  const t = await getTranslations("developers");
  const state = await toFormState(result, async () => t("created"));
  if (!result.ok) return { ...state, values: keep(fields, ["name", "mode"]) };
  revalidatePath("/dashboard/settings/developers");
  // Only its hash is stored: after this answer nobody can show the key again.
  return { ...state, key: result.key };
}

export async function revokeApiKeyAction(_prev: FormState, form: FormData): Promise<FormState> {
  form = formArg(form);
  const ctx = await requireMerchant("developers");
  const t = await getTranslations("developers");
  const state = await toFormState(await revokeApiKey(await getDb(), ctx, formFields(form)), async () => t("revoked"));
  if (state.ok) revalidatePath("/dashboard/settings/developers");
  return state;
}
