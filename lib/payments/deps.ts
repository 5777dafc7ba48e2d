import "server-only";
import { getDb } from "@/db";
import { env } from "@/lib/env";
import type { PaymentDeps } from "./accounts";
import { providerUrls } from "./urls";

export async function paymentDeps(): Promise<PaymentDeps> {
  const e = env();
  return { db: await getDb(), encryptionKey: e.CAISSE_ENCRYPTION_KEY, appUrl: e.APP_URL, urlsFor: (provider, mode) => providerUrls(provider, mode, e) };
}
