import { providerFetch, type ProviderResponse } from "@/lib/payments/http";
import type { ProviderContext } from "@/lib/payments/types";
import { errorSchema, type OrangeCredentials } from "./schemas";
import { accessToken, invalidateToken } from "./token-cache";

/** 40 missing, 41 invalid, 42 expired: the token is the problem, so a fresh one may fix it. */
const TOKEN_CODES = new Set([40, 41, 42]);

function tokenRefused(res: ProviderResponse): boolean {
  if (res.status !== 401) return false;
  const body = errorSchema.safeParse(res.json);
  return !body.success || TOKEN_CODES.has(body.data.code);
}

/**
 * POST to a WebPay endpoint with the cached Bearer token. On a 401 about the token, the token is
 * dropped and the call made once more with a fresh one: safe even for webpayment, since Orange
 * refused the first attempt at the gateway, before any payment existed.
 */
export async function webPayCall(
  ctx: ProviderContext<OrangeCredentials>,
  environment: string,
  endpoint: "webpayment" | "transactionstatus",
  body: unknown,
  idempotent: boolean,
): Promise<ProviderResponse> {
  const url = `${ctx.urls.api}/orange-money-webpay/${environment}/v1/${endpoint}`;
  const send = (token: string) => providerFetch("orange-money", ctx, { url, headers: { authorization: `Bearer ${token}` }, json: body, idempotent });
  const token = await accessToken(ctx);
  const first = await send(token);
  if (!tokenRefused(first)) return first;
  invalidateToken(ctx, token);
  return send(await accessToken(ctx));
}
