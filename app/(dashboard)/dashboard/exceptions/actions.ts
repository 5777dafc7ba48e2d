"use server";
import { formArg } from "@/lib/validation";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireMerchant } from "@/lib/auth/guard";
import { resolveException, type ExceptionOutcome } from "@/lib/payments/exception-actions";
import { paymentDeps } from "@/lib/payments/deps";
import { formFields, toFormState, type FormState } from "../_components/form-state";

/** Every exception action: owners only (lib/auth/permissions.ts), here and again in resolveException (which also parses and scopes). */
export async function exceptionAction(_prev: FormState, form: FormData): Promise<FormState> {
  form = formArg(form);
  const ctx = await requireMerchant("exceptions");
  const result = await resolveException(await paymentDeps(), ctx, formFields(form));
  // A failure re-renders the queue too: the form gets a fresh one-time token for another try.
  revalidatePath("/dashboard", "layout");
  if (result.ok) redirect(`/dashboard/exceptions?done=${result.outcome}`);
  return toFormState<{ outcome: ExceptionOutcome }>(result, async () => "");
}
