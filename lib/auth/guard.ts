import "server-only";
import { getServerSession } from "next-auth";
import { notFound, redirect } from "next/navigation";
import { getDb } from "@/db";
import { authOptions } from "./options";
import { hasRole, loadMerchantContext, ownsResource, type MerchantContext, type Role } from "./membership";

/**
 * The guard every dashboard page and server action starts with: a valid session, a live
 * membership, and (optionally) the owner role. Never trust a merchant id sent by the browser.
 */
export async function requireMerchant(options: { role?: Role } = {}): Promise<MerchantContext> {
  const session = await getServerSession(authOptions());
  const userId = (session?.user as { id?: string } | undefined)?.id;
  if (!userId) redirect("/login");
  const ctx = await loadMerchantContext(await getDb(), userId);
  if (!ctx) redirect("/login?error=no-merchant");
  if (options.role && !hasRole(ctx, options.role)) notFound();
  return ctx;
}

/** Narrows a loaded resource to the session's merchant, answering 404 for anyone else's. */
export function scoped<T extends { merchantId: string }>(ctx: MerchantContext, resource: T | null | undefined): T {
  if (!ownsResource(ctx, resource)) notFound();
  return resource!;
}
