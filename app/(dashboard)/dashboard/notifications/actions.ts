"use server";
import { formArg } from "@/lib/validation";
import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { requireMerchant } from "@/lib/auth/guard";
import { replayNotification } from "@/lib/dashboard/queues";
import { paymentDeps } from "@/lib/payments/deps";
import { formFields, toFormState, type FormState } from "../_components/form-state";

export async function replayAction(_prev: FormState, form: FormData): Promise<FormState> {
  form = formArg(form);
  const ctx = await requireMerchant("replay");
  const result = await replayNotification(await paymentDeps(), ctx, formFields(form));
  const t = await getTranslations("notificationsLog");
  const state = await toFormState(result, async () => t("replayed"));
  revalidatePath("/dashboard", "layout");
  return state;
}
