"use server";
import { formArg } from "@/lib/validation";
import { headers } from "next/headers";
import { getDb } from "@/db";
import { acceptInvitation } from "@/lib/auth/invitations";
import { clientAddress } from "@/lib/auth/rate-limit";
import { env } from "@/lib/env";
import { formFields, keep, toFormState, type FormState } from "@/app/(dashboard)/dashboard/_components/form-state";

/** Public on purpose: the invited person has no session yet; the token is the credential. */
export async function acceptInvitationAction(_prev: FormState, form: FormData): Promise<FormState> {
  form = formArg(form);
  const ip = clientAddress((await headers()).get("x-forwarded-for"), env().TRUSTED_PROXY_HOPS);
  const fields = formFields(form);
  const result = await acceptInvitation(await getDb(), fields, ip);
  // Success text is drawn by the form itself (it holds the sign-in link); errors come translated.
  // The name comes back so React's reset after the action does not wipe it (never the password).
  return { ...(await toFormState(result, async () => "", "invite.errors")), values: keep(fields, ["name"]) };
}
