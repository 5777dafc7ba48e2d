"use server";
import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db";
import { requireMerchant } from "@/lib/auth/guard";
import { readUpload } from "@/lib/products/image";
import { updateStore } from "@/lib/stores/edit";
import { formArg } from "@/lib/validation";
import { formFields, keep, toFormState, type FormState } from "../_components/form-state";

/** Owners only (lib/auth/permissions.ts), here and again in updateStore; a refused form keeps what was typed. */
export async function updateStoreAction(_prev: FormState, form: FormData): Promise<FormState> {
  form = formArg(form);
  const ctx = await requireMerchant("settings");
  const fields = formFields(form);
  const result = await updateStore(await getDb(), ctx, fields, await readUpload(form, "logo"));
  const t = await getTranslations("stores");
  const state = await toFormState(result, async () => t("saved"), "stores.errors");
  if (!state.ok) return { ...state, values: keep(fields, ["name", "slug", "country", "currency", "timeZone"]) };
  // The dashboard's header and the overview show the store's name and address.
  revalidatePath("/dashboard", "layout");
  return state;
}
