import { z } from "zod";
import { findSandboxAccount, type SandboxAccount } from "../accounts";
import { apiFault, getAccountFaults, mergeFaults, overRateLimit, type Faults } from "../faults";
import type { SandboxDeps } from "../types";

/** iPay's REST API takes JSON or form bodies alike; values arrive as strings or numbers. */
const bodySchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

export async function readParams(req: Request): Promise<Record<string, string>> {
  const out: Record<string, string> = Object.fromEntries(new URL(req.url).searchParams);
  if (req.method !== "POST") return out;
  const text = await req.text();
  const type = req.headers.get("content-type") ?? "";
  if (type.includes("json") || text.trimStart().startsWith("{")) {
    const parsed = bodySchema.safeParse(safeJson(text));
    // PHP-style stringification: what the merchant hashed is the printed value (0, 10, "").
    if (parsed.success) for (const [k, v] of Object.entries(parsed.data)) out[k] = v === null ? "" : String(v);
    return out;
  }
  for (const [k, v] of new URLSearchParams(text)) out[k] = v;
  return out;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * REST answers share one envelope: header_status mirrors the HTTP status, status is 1 or 0.
 * Error texts sit in `message`, which is where integrators read the STK outcomes from.
 */
export function apiOk(body: Record<string, unknown>): Response {
  return Response.json({ header_status: 200, status: 1, ...body }, { status: 200 });
}

export function apiError(httpStatus: number, message: string): Response {
  return Response.json({ header_status: httpStatus, status: 0, message }, { status: httpStatus });
}

export function missingFields(params: Record<string, string>, required: readonly string[]): string[] {
  return required.filter((name) => !params[name]);
}

/** The vendor's sandbox account, or iPay's authentication error. */
export async function vendorAccount(deps: SandboxDeps, vid: string | undefined): Promise<SandboxAccount | Response> {
  const account = await findSandboxAccount(deps, "ipay", vid ?? "");
  return account ?? apiError(401, "Invalid vendor id");
}

/**
 * Rate limiting first (every call counts), then the endpoint's 5xx/timeout fault. iPay documents
 * no rate limit; the fault still answers 429 in iPay's envelope so clients meet the case.
 */
export async function guard(
  deps: SandboxDeps,
  req: Request,
  accountId: string,
  kind: "init" | "status" | null,
  paymentFaults?: Record<string, unknown>,
): Promise<Response | null> {
  const faults: Faults = mergeFaults(await getAccountFaults(deps, "ipay", accountId), paymentFaults);
  if (await overRateLimit(deps, "ipay", accountId, faults)) return apiError(429, "Too many requests");
  if (kind === "init") return apiFault(faults.init, req);
  if (kind === "status") return apiFault(faults.statusApi, req);
  return null;
}

export async function faultsFor(deps: SandboxDeps, accountId: string, paymentFaults: Record<string, unknown>): Promise<Faults> {
  return mergeFaults(await getAccountFaults(deps, "ipay", accountId), paymentFaults);
}
