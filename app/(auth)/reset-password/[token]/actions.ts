"use server";
import { getTranslations } from "next-intl/server";
import { formFields, toFormState, type FormState } from "@/app/(dashboard)/dashboard/_components/form-state";
import { getDb } from "@/db";
import { resetPassword } from "@/lib/auth/password-reset";
import { formArg } from "@/lib/validation";

/** Public on purpose: the link's token is the proof. */
export async function resetPasswordAction(_prev: FormState, form: FormData): Promise<FormState> {
  form = formArg(form);
  const result = await resetPassword(await getDb(), formFields(form));
  const t = await getTranslations("passwordReset");
  return toFormState(result, async () => t("done"), "passwordReset.errors");
}
