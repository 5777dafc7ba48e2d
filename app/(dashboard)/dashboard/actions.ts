"use server";
import { formArg } from "@/lib/validation";
import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { requireMerchant } from "@/lib/auth/guard";
import { recheckPayment } from "@/lib/dashboard/payment-actions";
import { paymentDeps } from "@/lib/payments/deps";
import { formFields, toFormState, type FormState } from "./_components/form-state";

/** "Re-check status now", from the order page and the pending queue; staff may use it too. */
export async function recheckAction(_prev: FormState, form: FormData): Promise<FormState> {
  form = formArg(form);
  const ctx = await requireMerchant("recheck");
  const result = await recheckPayment(await paymentDeps(), ctx, formFields(form));
  const [ts, t] = await Promise.all([getTranslations("paymentStatus"), getTranslations("orderDetail")]);
  const state = await toFormState(result, async (r) => t("recheckDone", { status: ts(r.status as "paid") }));
  // Outside any try: the pages re-read the payment and its new status_check event.
  revalidatePath("/dashboard", "layout");
  return state;
}
