"use server";
import { formArg } from "@/lib/validation";
import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db";
import { requireMerchant } from "@/lib/auth/guard";
import { createLink, setLinkActive } from "@/lib/dashboard/links";
import { formFields, keep, toFormState, type FormState } from "../_components/form-state";

export async function createLinkAction(_prev: FormState, form: FormData): Promise<FormState> {
  form = formArg(form);
  const ctx = await requireMerchant("links");
  const fields = formFields(form);
  const result = await createLink(await getDb(), ctx, fields);
  const t = await getTranslations("links");
  const state = await toFormState(result, async () => t("created"));
  if (!state.ok) return { ...state, values: keep(fields, ["title", "description", "amount", "min", "max"]) };
  revalidatePath("/dashboard/links");
  return state;
}

export async function setLinkActiveAction(_prev: FormState, form: FormData): Promise<FormState> {
  form = formArg(form);
  const ctx = await requireMerchant("links");
  const result = await setLinkActive(await getDb(), ctx, formFields(form));
  const t = await getTranslations("links");
  const state = await toFormState(result, async () => t("updated"));
  if (state.ok) revalidatePath("/dashboard/links");
  return state;
}
