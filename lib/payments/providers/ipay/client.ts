import { providerFetch, type ProviderResponse } from "@/lib/payments/http";
import { ProviderError, type ProviderContext } from "@/lib/payments/types";
import { withUserMessage } from "./errors";
import type { IpayCredentials } from "./schemas";

/** ctx.urls holds api, checkout and ipn for iPay (lib/payments/urls.ts); a gap is a wiring bug. */
export function baseUrl(ctx: ProviderContext<IpayCredentials>, name: "api" | "checkout" | "ipn"): string {
  const url = ctx.urls[name];
  if (!url) {
    throw new ProviderError("ipay", "misconfigured", `no ${name} URL for iPay`, false, {
      userMessage: { fr: "iPay n'est pas configuré correctement.", en: "iPay is not configured correctly." },
    });
  }
  return url;
}

/** Every REST call: a JSON body (iPay also takes forms; JSON keeps the hashed text unambiguous). */
export async function post(ctx: ProviderContext<IpayCredentials>, path: string, body: Record<string, string>, idempotent = false): Promise<ProviderResponse> {
  try {
    return await providerFetch("ipay", ctx, { url: `${baseUrl(ctx, "api")}${path}`, json: body, idempotent });
  } catch (error) {
    throw withUserMessage(error);
  }
}
