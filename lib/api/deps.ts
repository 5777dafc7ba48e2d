import type { PaymentDeps } from "@/lib/payments/accounts";
import type { UrlPolicy } from "@/lib/webhooks/url-guard";
import type { ApiCaller } from "./keys";
import type { RateLimit } from "./rate-limit";

/** What the API's routes need: the payments' deps (the same refund service as the dashboard) and the limit per key. */
export type ApiDeps = { payments: PaymentDeps; rateLimit: RateLimit; now?: () => Date; webhookUrls?: UrlPolicy };

/** One authenticated request, as a resource handler sees it. */
export type ApiCall = { deps: ApiDeps; caller: ApiCaller; url: URL; now: Date };
