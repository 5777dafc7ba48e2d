"use server";
import { redirect } from "next/navigation";
import { formFields, keep, toFormState, type FormState } from "@/app/(dashboard)/dashboard/_components/form-state";
import { getDb } from "@/db";
import { requireUser } from "@/lib/auth/guard";
import { readUpload } from "@/lib/products/image";
import { createStore } from "@/lib/stores/create";
import { rememberStore } from "@/lib/stores/remember";
import { formArg } from "@/lib/validation";

/** Any signed-in user may open a store (lib/stores/create.ts bounds how many); they become its owner and the dashboard opens on it. */
export async function createStoreAction(_prev: FormState, form: FormData): Promise<FormState> {
  const userId = await requireUser();
  form = formArg(form);
  const fields = formFields(form);
  const result = await createStore(await getDb(), userId, fields, await readUpload(form, "logo"));
  if (result.ok) {
    await rememberStore(userId, result.merchantId);
    redirect("/dashboard");
  }
  return { ...(await toFormState(result, async () => "", "stores.errors")), values: keep(fields, ["name", "slug", "country", "currency", "timeZone"]) };
}
