import { providerFetch, type ProviderRequest, type ProviderResponse } from "@/lib/payments/http";
import { ProviderError, type ExchangeTrace, type ProviderContext } from "@/lib/payments/types";
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

/** Every call to iPay: timeouts and network errors get a message for the shopper. */
export async function call(ctx: ProviderContext<IpayCredentials>, req: ProviderRequest): Promise<ProviderResponse> {
  try {
    return await providerFetch("ipay", ctx, req);
  } catch (error) {
    throw withUserMessage(error);
  }
}

/** Every REST call: a JSON body (iPay also takes forms; JSON keeps the hashed text unambiguous). */
export function post(ctx: ProviderContext<IpayCredentials>, path: string, body: Record<string, string>, idempotent = false): Promise<ProviderResponse> {
  return call(ctx, { url: `${baseUrl(ctx, "api")}${path}`, json: body, idempotent });
}

/** One trace for an answer that took several calls, each kept under its name; the last one's HTTP status. */
export function combinedTrace(parts: Record<string, ExchangeTrace>): ExchangeTrace {
  const named = Object.entries(parts);
  return {
    request: Object.fromEntries(named.map(([name, t]) => [name, t.request])),
    response: Object.fromEntries(named.map(([name, t]) => [name, t.response])),
    httpStatus: named.at(-1)?.[1].httpStatus,
    durationMs: named.reduce((sum, [, t]) => sum + (t.durationMs ?? 0), 0),
  };
}
