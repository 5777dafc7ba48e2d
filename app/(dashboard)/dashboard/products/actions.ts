"use server";
import { formArg } from "@/lib/validation";
import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db";
import { requireMerchant } from "@/lib/auth/guard";
import { createProduct, moveProduct, readUpload, setProductArchived, updateProduct } from "@/lib/products/manage";
import { formFields, keep, toFormState, type FormState } from "../_components/form-state";

const KEPT = ["name", "description", "price", "stock"];

function settled(state: FormState, fields: Record<string, unknown>): FormState {
  if (!state.ok) return { ...state, values: keep(fields, KEPT) };
  revalidatePath("/dashboard/products");
  return state;
}

export async function createProductAction(_prev: FormState, form: FormData): Promise<FormState> {
  form = formArg(form);
  const ctx = await requireMerchant("products");
  const fields = formFields(form);
  const result = await createProduct(await getDb(), ctx, fields, await readUpload(form));
  const t = await getTranslations("products");
  return settled(await toFormState(result, async () => t("created")), fields);
}

export async function updateProductAction(_prev: FormState, form: FormData): Promise<FormState> {
  form = formArg(form);
  const ctx = await requireMerchant("products");
  const fields = formFields(form);
  const result = await updateProduct(await getDb(), ctx, fields, await readUpload(form));
  const t = await getTranslations("products");
  return settled(await toFormState(result, async () => t("updated")), fields);
}

export async function archiveProductAction(_prev: FormState, form: FormData): Promise<FormState> {
  form = formArg(form);
  const ctx = await requireMerchant("products");
  const fields = formFields(form);
  const result = await setProductArchived(await getDb(), ctx, fields);
  const t = await getTranslations("products");
  return settled(await toFormState(result, async () => t("updated")), fields);
}

export async function moveProductAction(_prev: FormState, form: FormData): Promise<FormState> {
  form = formArg(form);
  const ctx = await requireMerchant("products");
  const fields = formFields(form);
  const result = await moveProduct(await getDb(), ctx, fields);
  const t = await getTranslations("products");
  return settled(await toFormState(result, async () => t("updated")), fields);
}
