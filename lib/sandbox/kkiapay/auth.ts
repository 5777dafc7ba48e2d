import { credentialMatches, findSandboxAccount, findSandboxAccountWhere, type SandboxAccount } from "@/lib/sandbox/accounts";
import type { SandboxDeps } from "@/lib/sandbox/types";

/**
 * The server API authenticates by x-private-key. The official SDKs send all three keys, but
 * several real integrations omit x-api-key or x-secret-key and still work, so a missing one is
 * tolerated; a present one must be right. Returns null for any mismatch (→ 401).
 */
export async function authenticate(req: Request, deps: SandboxDeps): Promise<SandboxAccount | null> {
  const publicKey = req.headers.get("x-api-key");
  const privateKey = req.headers.get("x-private-key");
  const secretKey = req.headers.get("x-secret-key");
  if (!privateKey) return null;
  const account = publicKey
    ? await findSandboxAccount(deps, "kkiapay", publicKey)
    : await findSandboxAccountWhere(deps, "kkiapay", (c) => credentialMatches(c.privateKey, privateKey));
  if (!account) return null;
  if (!credentialMatches(account.credentials.privateKey, privateKey)) return null;
  if (secretKey !== null && !credentialMatches(account.credentials.secretKey, secretKey)) return null;
  return account;
}
