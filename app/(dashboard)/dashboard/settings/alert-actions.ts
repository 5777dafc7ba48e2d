"use server";
import { revalidatePath } from "next/cache";
import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/db";
import { requireMerchant } from "@/lib/auth/guard";
import { setPaymentAlerts } from "@/lib/dashboard/alerts";
import { formArg } from "@/lib/validation";
import { formFields, toFormState, type FormState } from "../_components/form-state";

export async function setPaymentAlertsAction(_prev: FormState, form: FormData): Promise<FormState> {
  form = formArg(form);
  const ctx = await requireMerchant("view");
  const result = await setPaymentAlerts(await getDb(), ctx, formFields(form), await getLocale());
  const t = await getTranslations("settings");
  const state = await toFormState(result, async (r) => t(r.on ? "alertsOn" : "alertsOff"));
  if (state.ok) revalidatePath("/dashboard/settings");
  return state;
}
