"use server";
import { headers } from "next/headers";
import { formFields, keep, toFormState, type FormState } from "@/app/(dashboard)/dashboard/_components/form-state";
import { getDb } from "@/db";
import { clientAddress } from "@/lib/auth/rate-limit";
import { signUp } from "@/lib/auth/signup";
import { env } from "@/lib/env";
import { formArg } from "@/lib/validation";

/**
 * Public on purpose: whoever signs up has no session yet. On success the form signs in with the
 * same e-mail and password through next-auth (and its limiter), then opens the store form.
 */
export async function signUpAction(_prev: FormState, form: FormData): Promise<FormState> {
  form = formArg(form);
  const ip = clientAddress((await headers()).get("x-forwarded-for"), env().TRUSTED_PROXY_HOPS);
  const fields = formFields(form);
  const result = await signUp(await getDb(), fields, ip);
  // The name and e-mail come back so React's reset after the action does not wipe them (never the password).
  return { ...(await toFormState(result, async () => "", "signup.errors")), values: keep(fields, ["name", "email"]) };
}
