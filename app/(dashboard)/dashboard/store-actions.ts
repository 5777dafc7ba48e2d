"use server";
import { redirect } from "next/navigation";
import { getDb } from "@/db";
import { requireMerchant } from "@/lib/auth/guard";
import { listStores } from "@/lib/stores/current";
import { rememberStore } from "@/lib/stores/remember";
import { formArg } from "@/lib/validation";

/** Opens the dashboard on another of the user's stores; an id of a store they do not belong to changes nothing. */
export async function switchStoreAction(form: FormData): Promise<void> {
  const ctx = await requireMerchant("view");
  const target = formArg(form).get("merchantId");
  const stores = await listStores(await getDb(), ctx.user.id);
  if (typeof target === "string" && stores.some((s) => s.id === target)) await rememberStore(ctx.user.id, target);
  redirect("/dashboard");
}
