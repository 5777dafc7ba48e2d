import { getLocale, getTranslations } from "next-intl/server";
import type { ActionResult } from "@/lib/dashboard/payment-actions";

/** What a dashboard form shows after its action: a message, and errors at the fields. */
export type FormState = { ok?: boolean; message?: string; fieldErrors?: Record<string, string>; values?: Record<string, string> };

/** Turns a lib result's error codes into the visitor's language (the dashboard's codes unless told). */
export async function toFormState<T>(result: ActionResult<T>, success: (r: T) => Promise<string>, namespace = "dashboardErrors"): Promise<FormState> {
  if (result.ok) return { ok: true, message: await success(result) };
  const [t, locale] = await Promise.all([getTranslations(namespace), getLocale()]);
  const message = result.message ? result.message[locale === "en" ? "en" : "fr"] : t.has(result.error) ? t(result.error) : t("unknown");
  // A field's own words in both languages (a provider's amount rule) win over its code.
  const fieldErrors = result.fieldErrors && Object.fromEntries(Object.entries(result.fieldErrors).map(([field, code]) => [field, result.fieldMessages?.[field]?.[locale === "en" ? "en" : "fr"] ?? (t.has(code) ? t(code) : t("invalid"))]));
  return { ok: false, message, fieldErrors };
}

/** The string fields of a submitted form, for zod to check. */
export const formFields = (form: FormData) => Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string"));

/**
 * The fields to hand back after a refused submission: React resets a form once its action
 * returns, so inputs take these as default values and the visitor does not retype them.
 */
export const keep = (fields: Record<string, unknown>, names: string[]): Record<string, string> =>
  Object.fromEntries(names.map((n) => [n, typeof fields[n] === "string" ? fields[n] : ""]));
