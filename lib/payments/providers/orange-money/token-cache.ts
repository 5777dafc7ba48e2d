import { createHash } from "node:crypto";
import { providerFetch, type ProviderRequest } from "@/lib/payments/http";
import type { ProviderContext } from "@/lib/payments/types";
import { orangeError, unexpectedAnswer } from "./errors";
import { tokenRequestSchema, tokenResponseSchema, type OrangeCredentials } from "./schemas";

/**
 * The one piece of state in this adapter, on purpose: WebPay access tokens live ~90 days and
 * Orange asks integrators not to request one per call. Cached in memory per (API base, client
 * id, secret digest) for the token's lifetime, single-flight (concurrent callers share one token request),
 * and dropped when Orange answers 401. Never persisted, never logged.
 */
type Entry = { token: string; expiresAtMs: number };

const cache = new Map<string, Entry>();
const inflight = new Map<string, Promise<Entry>>();

/** Refresh a little before Orange's own expiry, so a token never dies mid-request. */
const SAFETY_MARGIN_MS = 60_000;
/** When expires_in is missing, assume the short lifetime of Orange's newer APIs. */
const DEFAULT_LIFETIME_S = 3600;

/**
 * Per API base and client id; a digest of the secret too, so that a token obtained with one
 * secret is never handed to a caller holding another (a rotated or mistyped secret must fail).
 */
function keyOf(ctx: ProviderContext<OrangeCredentials>): string {
  const secret = createHash("sha256").update(ctx.credentials.clientSecret).digest("base64url");
  return `${ctx.urls.api}|${ctx.credentials.clientId}|${secret}`;
}

/** POST /oauth/v3/token with the client credentials (§2.2): Basic auth and a form body. */
export function tokenRequest(ctx: ProviderContext<OrangeCredentials>): ProviderRequest {
  const basic = Buffer.from(`${ctx.credentials.clientId}:${ctx.credentials.clientSecret}`).toString("base64");
  return { url: `${ctx.urls.api}/oauth/v3/token`, headers: { authorization: `Basic ${basic}` }, form: tokenRequestSchema.parse({ grant_type: "client_credentials" }) };
}

async function requestToken(ctx: ProviderContext<OrangeCredentials>): Promise<Entry> {
  const res = await providerFetch("orange-money", ctx, { ...tokenRequest(ctx), idempotent: true });
  if (res.status < 200 || res.status >= 300) throw orangeError(res);
  const body = tokenResponseSchema.safeParse(res.json);
  if (!body.success) throw unexpectedAnswer(res, true);
  const lifetimeMs = (body.data.expires_in ?? DEFAULT_LIFETIME_S) * 1000;
  return { token: body.data.access_token, expiresAtMs: Date.now() + Math.max(0, lifetimeMs - SAFETY_MARGIN_MS) };
}

export async function accessToken(ctx: ProviderContext<OrangeCredentials>): Promise<string> {
  const key = keyOf(ctx);
  const cached = cache.get(key);
  if (cached && cached.expiresAtMs > Date.now()) return cached.token;
  let pending = inflight.get(key);
  if (!pending) {
    pending = requestToken(ctx)
      .then((entry) => {
        cache.set(key, entry);
        return entry;
      })
      .finally(() => inflight.delete(key));
    inflight.set(key, pending);
  }
  return (await pending).token;
}

/** Forgets `token` after Orange refused it, unless another caller already replaced it. */
export function invalidateToken(ctx: ProviderContext<OrangeCredentials>, token: string): void {
  const key = keyOf(ctx);
  if (cache.get(key)?.token === token) cache.delete(key);
}
