import "server-only";
import { paymentDeps } from "@/lib/payments/deps";
import { webhookUrlPolicy } from "@/lib/webhooks/deps";
import type { ApiDeps } from "./deps";
import { DEFAULT_RATE_LIMIT } from "./rate-limit";

export async function apiDeps(): Promise<ApiDeps> {
  return { payments: await paymentDeps(), rateLimit: DEFAULT_RATE_LIMIT, webhookUrls: webhookUrlPolicy() };
}
