import "server-only";
import { getServerSession } from "next-auth";
import { notFound, redirect } from "next/navigation";
import { getDb } from "@/db";
import { authOptions } from "./options";
import { loadMerchantContext, ownsResource, type MerchantContext } from "./membership";
import { can, type Permission } from "./permissions";

/**
 * The guard every dashboard page, server action and route starts with: a valid session, a live
 * membership, and the permission it needs (lib/auth/permissions.ts; pages ask for "view"). Never
 * trust a merchant id sent by the browser.
 */
export async function requireMerchant(permission: Permission): Promise<MerchantContext> {
  const session = await getServerSession(authOptions());
  const userId = (session?.user as { id?: string } | undefined)?.id;
  if (!userId) redirect("/login");
  const ctx = await loadMerchantContext(await getDb(), userId);
  if (!ctx) redirect("/login?error=no-merchant");
  if (!can(ctx, permission)) notFound();
  return ctx;
}

/** Narrows a loaded resource to the session's merchant, answering 404 for anyone else's. */
export function scoped<T extends { merchantId: string }>(ctx: MerchantContext, resource: T | null | undefined): T {
  if (!ownsResource(ctx, resource)) notFound();
  return resource!;
}
