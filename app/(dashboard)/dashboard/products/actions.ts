"use server";
import { formArg } from "@/lib/validation";
import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db";
import type { Db } from "@/db/client";
import { requireMerchant } from "@/lib/auth/guard";
import type { ActionResult } from "@/lib/dashboard/payment-actions";
import { readUpload } from "@/lib/products/image";
import { createProduct, moveProduct, setProductArchived, updateProduct } from "@/lib/products/manage";
import { formFields, keep, toFormState, type FormState } from "../_components/form-state";

/**
 * Each action asks the guard itself (lib/auth/permissions.test.ts reads it there), then runs its
 * lib function on the form's fields; a refused form keeps what was typed.
 */
async function settle(form: FormData, run: (db: Db, fields: Record<string, FormDataEntryValue>) => Promise<ActionResult<object>>, done: "created" | "updated"): Promise<FormState> {
  const fields = formFields(form);
  const result = await run(await getDb(), fields);
  const t = await getTranslations("products");
  const state = await toFormState(result, async () => t(done));
  if (!state.ok) return { ...state, values: { ...keep(fields, ["name", "description", "price", "stock", "stockSeen"]), ...(result.ok ? {} : result.current) } };
  revalidatePath("/dashboard/products");
  return state;
}

export async function createProductAction(_prev: FormState, form: FormData): Promise<FormState> {
  form = formArg(form);
  const ctx = await requireMerchant("products");
  return settle(form, async (db, fields) => createProduct(db, ctx, fields, await readUpload(form)), "created");
}

export async function updateProductAction(_prev: FormState, form: FormData): Promise<FormState> {
  form = formArg(form);
  const ctx = await requireMerchant("products");
  return settle(form, async (db, fields) => updateProduct(db, ctx, fields, await readUpload(form)), "updated");
}

export async function archiveProductAction(_prev: FormState, form: FormData): Promise<FormState> {
  form = formArg(form);
  const ctx = await requireMerchant("products");
  return settle(form, (db, fields) => setProductArchived(db, ctx, fields), "updated");
}

export async function moveProductAction(_prev: FormState, form: FormData): Promise<FormState> {
  form = formArg(form);
  const ctx = await requireMerchant("products");
  return settle(form, (db, fields) => moveProduct(db, ctx, fields), "updated");
}
