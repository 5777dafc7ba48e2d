import { randomBytes } from "node:crypto";
import { providerFetch, type ProviderRequest, type ProviderResponse } from "./http";
import { ProviderError, type ConnectionResult, type ProviderContext, type ProviderId } from "./types";

/**
 * The part of a connection test every provider shares: one request, sent once (a retry would
 * only make a merchant wait longer to hear that the provider is down), where no answer, a 5xx or
 * a 429 means the provider could not be asked. What an answer says about the credentials is the
 * adapter's to read (`read`).
 */
export async function probeConnection(
  provider: ProviderId,
  ctx: ProviderContext<unknown>,
  request: Omit<ProviderRequest, "idempotent">,
  read: (res: ProviderResponse) => ConnectionResult,
): Promise<ConnectionResult> {
  let res: ProviderResponse;
  try {
    res = await providerFetch(provider, ctx, { ...request, idempotent: false });
  } catch (error) {
    const code = error instanceof ProviderError ? error.code : "network_error";
    return { outcome: "unreachable", detail: code === "timeout" ? `no answer within ${ctx.timeoutMs} ms` : code };
  }
  if (res.status >= 500 || res.status === 429) return { outcome: "unreachable", detail: `HTTP ${res.status}`, httpStatus: res.status };
  return read(res);
}

/**
 * An id no transaction can have: asked about, a provider that took the credentials can only
 * answer "not found". Alphanumeric, as every provider's references must be.
 */
export function unknownTransactionId(): string {
  return `CAISSETEST${randomBytes(8).toString("hex").toUpperCase()}`;
}

export const works = (detail: string, httpStatus?: number): ConnectionResult => ({ outcome: "works", detail, httpStatus });
export const refused = (detail: string, httpStatus?: number): ConnectionResult => ({ outcome: "refused", detail, httpStatus });
