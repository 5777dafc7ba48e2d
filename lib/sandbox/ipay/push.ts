import type { SandboxDeps } from "../types";
import { failPush } from "./outcomes";
import type { Session } from "./store";

/** How long an STK prompt stays on the phone before M-Pesa gives up on it. */
export const PUSH_TIMEOUT_SECONDS = 60;

/** Kenyan MSISDN as M-Pesa writes it (2547…), from 2547…, +2547… or 07…; null otherwise. */
export function normalizeMsisdn(input: string): string | null {
  const digits = input.replace(/[\s+-]/g, "");
  if (/^0[17]\d{8}$/.test(digits)) return `254${digits.slice(1)}`;
  if (/^254[17]\d{8}$/.test(digits)) return digits;
  return null;
}

export function pushWindow(deps: SandboxDeps, phone: string, timeoutSeconds = PUSH_TIMEOUT_SECONDS): { phone: string; requestedAt: string; expiresAt: string } {
  const now = deps.now?.() ?? new Date();
  return { phone, requestedAt: now.toISOString(), expiresAt: new Date(now.getTime() + timeoutSeconds * 1000).toISOString() };
}

/**
 * Nobody runs a timer for an unanswered prompt: whoever looks at the session next (the phone
 * screen, a search) finds it timed out, as M-Pesa would report it by then.
 */
export async function expireIfStale(deps: SandboxDeps, session: Session): Promise<{ session: Session; expired: boolean }> {
  const expiresAt = session.state.push?.expiresAt;
  const now = deps.now?.() ?? new Date();
  if (session.status !== "awaiting_pin" || !expiresAt || now.getTime() < Date.parse(expiresAt)) return { session, expired: false };
  const updated = await failPush(deps, session, "timed_out");
  return updated ? { session: updated, expired: true } : { session, expired: false };
}
