import "server-only";
import { getServerSession } from "next-auth";
import { cookies } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { getDb } from "@/db";
import { env } from "@/lib/env";
import { readStoreChoice, STORE_COOKIE } from "@/lib/stores/current";
import { authOptions } from "./options";
import { loadMerchantContext, ownsResource, type MerchantContext } from "./membership";
import { can, type Permission } from "./permissions";
import { sessionStillValid } from "./session";

/** The signed-in user's id, or null: no session, or one a password reset ended (the sign-in pages then show their form, not a redirect back). */
export async function signedInUserId(): Promise<string | null> {
  const session = await getServerSession(authOptions());
  const user = session?.user as { id?: string; signedInAt?: number } | undefined;
  return user?.id && (await sessionStillValid(await getDb(), user.id, user.signedInAt)) ? user.id : null;
}

/** The signed-in user's id; anyone else is sent to sign in. For the pages a user without a store reaches (opening one). */
export async function requireUser(): Promise<string> {
  const userId = await signedInUserId();
  if (!userId) redirect("/login");
  return userId;
}

/**
 * The guard every dashboard page, server action and route starts with: a valid session, a live
 * membership of the store the user chose (lib/stores/current.ts; else their oldest), and the
 * permission it needs (lib/auth/permissions.ts; pages ask for "view"). Never trust a merchant id
 * sent by the browser. A user with no store yet is sent to open one.
 */
export async function requireMerchant(permission: Permission): Promise<MerchantContext> {
  const userId = await requireUser();
  const chosen = readStoreChoice(env().NEXTAUTH_SECRET, userId, (await cookies()).get(STORE_COOKIE)?.value);
  const ctx = await loadMerchantContext(await getDb(), userId, chosen);
  if (!ctx) redirect("/stores/new");
  if (!can(ctx, permission)) notFound();
  return ctx;
}

/** Narrows a loaded resource to the session's merchant, answering 404 for anyone else's. */
export function scoped<T extends { merchantId: string }>(ctx: MerchantContext, resource: T | null | undefined): T {
  if (!ownsResource(ctx, resource)) notFound();
  return resource!;
}
