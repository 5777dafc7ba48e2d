"use server";
import { formArg } from "@/lib/validation";
import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db";
import { requireMerchant } from "@/lib/auth/guard";
import { saveProviderAccount } from "@/lib/dashboard/settings";
import { env } from "@/lib/env";
import { formFields, toFormState, type FormState } from "../_components/form-state";

export async function saveProviderAccountAction(_prev: FormState, form: FormData): Promise<FormState> {
  form = formArg(form);
  // Owners only (lib/auth/permissions.ts), here and again in saveProviderAccount.
  const ctx = await requireMerchant("settings");
  const result = await saveProviderAccount(await getDb(), env().CAISSE_ENCRYPTION_KEY, ctx, formFields(form));
  const t = await getTranslations("settings");
  const state = await toFormState(result, async () => t("saved"));
  if (state.ok) revalidatePath("/dashboard/settings");
  return state;
}
