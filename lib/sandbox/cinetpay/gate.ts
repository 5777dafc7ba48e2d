import { z } from "zod";
import { credentialMatches, findSandboxAccount, type SandboxAccount } from "@/lib/sandbox/accounts";
import { getAccountFaults, overRateLimit, type Faults } from "@/lib/sandbox/faults";
import type { SandboxDeps } from "@/lib/sandbox/types";
import { errorAnswer } from "./answers";
import { PROVIDER } from "./store";

export type ApiCall = { body: Record<string, unknown>; account: SandboxAccount; faults: Faults };

/** SDKs send site_id as a number as often as a string; both identify the service. */
const credentialsSchema = z.looseObject({
  apikey: z.string().min(1),
  site_id: z.union([z.string().min(1), z.number().int()]).transform(String),
});

/**
 * What every CinetPay API call goes through before its own validation: the edge's User-Agent
 * rule, JSON only, the site_id and apikey, then the account's rate limit.
 */
export async function gate(req: Request, deps: SandboxDeps): Promise<ApiCall | Response> {
  if (!req.headers.get("user-agent")) return errorAnswer("noUserAgent", "Access denied: requests must carry a User-Agent header");
  if (!(req.headers.get("content-type") ?? "").toLowerCase().includes("application/json")) {
    return errorAnswer("notJson", "The request body must be JSON (Content-Type: application/json)");
  }
  let body: unknown;
  try {
    body = JSON.parse(await req.text());
  } catch {
    return errorAnswer("fields", "The body is not valid JSON");
  }
  const creds = credentialsSchema.safeParse(body);
  if (!creds.success) return errorAnswer("fields", "apikey and site_id are required");
  const account = await findSandboxAccount(deps, PROVIDER, creds.data.site_id);
  if (!account) return errorAnswer("siteId", "The site_id is not valid");
  if (!credentialMatches(account.credentials.apiKey, creds.data.apikey)) return errorAnswer("apikey", "The apikey is not valid");
  const faults = await getAccountFaults(deps, PROVIDER, account.publicId);
  if (await overRateLimit(deps, PROVIDER, account.publicId, faults)) {
    return errorAnswer("rateLimited", "Suspicious activity: too many requests, try again later");
  }
  return { body: creds.data, account, faults };
}
