"use server";
import { formArg } from "@/lib/validation";
import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { requireMerchant } from "@/lib/auth/guard";
import { refundOrderPayment } from "@/lib/dashboard/payment-actions";
import { paymentDeps } from "@/lib/payments/deps";
import { formFields, toFormState, type FormState } from "../../_components/form-state";

export async function refundAction(_prev: FormState, form: FormData): Promise<FormState> {
  form = formArg(form);
  // Owners only (lib/auth/permissions.ts), here and again in refundOrderPayment: hiding the button is not the protection.
  const ctx = await requireMerchant("refund");
  const result = await refundOrderPayment(await paymentDeps(), ctx, formFields(form));
  const t = await getTranslations("orderDetail");
  const state = await toFormState(result, async (r) => t(`refundDone.${r.kind}`));
  if (state.ok) revalidatePath("/dashboard", "layout");
  return state;
}
