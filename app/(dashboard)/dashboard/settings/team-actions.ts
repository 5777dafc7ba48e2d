"use server";
import { formArg } from "@/lib/validation";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { getLocale, getTranslations } from "next-intl/server";
import { getDb } from "@/db";
import { requireMerchant } from "@/lib/auth/guard";
import { invitationUrl } from "@/lib/auth/invitations";
import type { ActionResult } from "@/lib/dashboard/payment-actions";
import { changeMemberRole, inviteMember, removeMember, revokeInvitation } from "@/lib/dashboard/team";
import { env } from "@/lib/env";
import { pumpMailSoon } from "@/lib/mail/background";
import { formFields, keep, toFormState, type FormState } from "../_components/form-state";

/** The invite form's state also carries the link, the one time it can be shown. */
export type InviteState = FormState & { invite?: { url: string; email: string; shareText: string } };

async function settle<T>(result: ActionResult<T>, done: "roleChanged" | "removed" | "revoked"): Promise<FormState> {
  const t = await getTranslations("team");
  const state = await toFormState(result, async () => t(done));
  if (state.ok) revalidatePath("/dashboard/settings");
  return state;
}

export async function inviteMemberAction(_prev: InviteState, form: FormData): Promise<InviteState> {
  form = formArg(form);
  const ctx = await requireMerchant("team");
  const fields = formFields(form);
  const e = env();
  const result = await inviteMember(await getDb(), ctx, fields, new Date(), { appUrl: e.APP_URL, encryptionKey: e.CAISSE_ENCRYPTION_KEY, locale: await getLocale() });
  const t = await getTranslations("team");
  const state = await toFormState(result, async (r) => t("invited", { email: r.email }));
  if (!result.ok) return { ...state, values: keep(fields, ["email", "role"]) };
  revalidatePath("/dashboard/settings");
  await pumpMailSoon();
  // The token is not stored (only its hash): after this answer nobody can show the link again.
  const url = invitationUrl(e.APP_URL, result.token);
  return { ...state, invite: { url, email: result.email, shareText: t("shareText", { merchant: ctx.merchant.name, url }) } };
}

export async function revokeInvitationAction(_prev: FormState, form: FormData): Promise<FormState> {
  form = formArg(form);
  const ctx = await requireMerchant("team");
  return settle(await revokeInvitation(await getDb(), ctx, formFields(form)), "revoked");
}

export async function changeMemberRoleAction(_prev: FormState, form: FormData): Promise<FormState> {
  form = formArg(form);
  const ctx = await requireMerchant("team");
  return settle(await changeMemberRole(await getDb(), ctx, formFields(form)), "roleChanged");
}

export async function removeMemberAction(_prev: FormState, form: FormData): Promise<FormState> {
  form = formArg(form);
  const ctx = await requireMerchant("team");
  const result = await removeMember(await getDb(), ctx, formFields(form));
  // Leaving the store: the dashboard sends whoever has no membership left to the sign-in page.
  if (result.ok && result.self) redirect("/dashboard");
  return settle(result, "removed");
}
