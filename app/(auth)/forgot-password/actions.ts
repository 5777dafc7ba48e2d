"use server";
import { headers } from "next/headers";
import { getLocale, getTranslations } from "next-intl/server";
import { formFields, keep, toFormState, type FormState } from "@/app/(dashboard)/dashboard/_components/form-state";
import { getDb } from "@/db";
import { requestPasswordReset } from "@/lib/auth/password-reset";
import { clientAddress } from "@/lib/auth/rate-limit";
import { env } from "@/lib/env";
import { pumpMailSoon } from "@/lib/mail/background";
import { formArg } from "@/lib/validation";

/** Public on purpose: whoever forgot their password has no session. */
export async function requestResetAction(_prev: FormState, form: FormData): Promise<FormState> {
  form = formArg(form);
  const e = env();
  const ip = clientAddress((await headers()).get("x-forwarded-for"), e.TRUSTED_PROXY_HOPS);
  const fields = formFields(form);
  const result = await requestPasswordReset(await getDb(), fields, { ip, locale: await getLocale(), appUrl: e.APP_URL, encryptionKey: e.CAISSE_ENCRYPTION_KEY });
  if (result.ok) await pumpMailSoon();
  const t = await getTranslations("passwordReset");
  return { ...(await toFormState(result, async () => t("sent"), "passwordReset.errors")), values: keep(fields, ["email"]) };
}
