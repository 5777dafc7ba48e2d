import { credentialMatches, findSandboxAccountWhere, type SandboxAccount } from "../accounts";
import { getAccountFaults, overRateLimit, type Faults } from "../faults";
import type { SandboxDeps } from "../types";
import { nowOf } from "./clock";
import { orangeError } from "./errors";
import { checkAccessToken, issueAccessToken, TOKEN_LIFETIME_SECONDS } from "./tokens";

const PROVIDER = "orange-money" as const;

/** The merchant account behind a call, with the faults a tester switched on for it. */
export type Caller = { account: SandboxAccount; faults: Faults };

function basicCredentials(header: string | null): { clientId: string; clientSecret: string } | null | "malformed" {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? "");
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon <= 0) return "malformed";
  return { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
}

async function rateLimited(deps: SandboxDeps, account: SandboxAccount): Promise<{ faults: Faults; limited: boolean }> {
  const faults = await getAccountFaults(deps, PROVIDER, account.publicId);
  return { faults, limited: await overRateLimit(deps, PROVIDER, account.publicId, faults) };
}

/** POST /oauth/v3/token: Basic client_id:client_secret and a form body, as Orange's OAuth v3. */
export async function handleToken(req: Request, deps: SandboxDeps): Promise<Response> {
  if (req.method !== "POST") return orangeError("methodNotAllowed", "Use POST");
  const basic = basicCredentials(req.headers.get("authorization"));
  if (basic === null) return orangeError("missingCredentials", "The request must carry an Authorization: Basic header", { "www-authenticate": "Basic" });
  const account =
    basic === "malformed"
      ? null
      : await findSandboxAccountWhere(deps, PROVIDER, (c) => credentialMatches(c.clientId, basic.clientId) && credentialMatches(c.clientSecret, basic.clientSecret));
  if (!account) return orangeError("invalidCredentials", "The client_id / client_secret pair is not valid", { "www-authenticate": "Basic" });

  const { limited } = await rateLimited(deps, account);
  if (limited) return orangeError("tooManyRequests", "The rate limit of this application is exceeded", { "retry-after": "60" });

  const form = new URLSearchParams(await req.text());
  const grant = form.get("grant_type");
  if (!grant) return orangeError("missingBodyField", "grant_type is required");
  if (grant !== "client_credentials") return orangeError("invalidBodyField", "grant_type must be client_credentials");

  const expiresAt = new Date(nowOf(deps).getTime() + TOKEN_LIFETIME_SECONDS * 1000);
  return Response.json(
    { token_type: "Bearer", access_token: issueAccessToken(account.credentials.clientId!, expiresAt, deps.encryptionKey), expires_in: String(TOKEN_LIFETIME_SECONDS) },
    { headers: { "cache-control": "no-store" } },
  );
}

/** Bearer authentication of the WebPay endpoints, then the account's rate limit. */
export async function authenticate(req: Request, deps: SandboxDeps): Promise<Caller | Response> {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.get("authorization") ?? "");
  if (!match) return orangeError("missingCredentials", "The request must carry an Authorization: Bearer header", { "www-authenticate": "Bearer" });
  const check = checkAccessToken(match[1]!, nowOf(deps), deps.encryptionKey);
  if (!check.ok) {
    return check.reason === "expired"
      ? orangeError("expiredCredentials", "The access token has expired", { "www-authenticate": 'Bearer error="invalid_token"' })
      : orangeError("invalidCredentials", "The access token is not valid", { "www-authenticate": 'Bearer error="invalid_token"' });
  }
  const account = await findSandboxAccountWhere(deps, PROVIDER, (c) => credentialMatches(c.clientId, check.clientId));
  if (!account) return orangeError("invalidCredentials", "The application behind this access token no longer exists");
  const { faults, limited } = await rateLimited(deps, account);
  if (limited) return orangeError("tooManyRequests", "The rate limit of this application is exceeded", { "retry-after": "60" });
  return { account, faults };
}
