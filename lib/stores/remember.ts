import "server-only";
import { cookies } from "next/headers";
import { env } from "@/lib/env";
import { signStoreChoice, STORE_COOKIE, STORE_COOKIE_MAX_AGE } from "./current";

/** Makes `merchantId` the store the dashboard opens on for this browser (the caller checked the membership). */
export async function rememberStore(userId: string, merchantId: string): Promise<void> {
  const e = env();
  (await cookies()).set(STORE_COOKIE, signStoreChoice(e.NEXTAUTH_SECRET, userId, merchantId), {
    httpOnly: true,
    sameSite: "lax",
    secure: e.APP_URL.startsWith("https:"),
    path: "/",
    maxAge: STORE_COOKIE_MAX_AGE,
  });
}
