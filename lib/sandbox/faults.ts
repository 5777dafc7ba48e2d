import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { sandboxAccounts, sandboxRateCounters } from "@/db/schema";
import type { ProviderId } from "@/lib/payments/types";
import type { SandboxDeps } from "./types";

/**
 * Faults a tester can switch on, per account (control API) or per payment (the hosted page's
 * "advanced" panel). Per-payment faults win over the account's.
 */
export const faultsSchema = z
  .object({
    /** Every notification is sent twice. */
    duplicateNotification: z.boolean(),
    /** Notifications leave N seconds late. */
    notificationDelaySeconds: z.number().int().min(0).max(600),
    /** Notifications are never sent (recorded as dropped). */
    dropNotification: z.boolean(),
    /** The final notification is sent before the "waiting" one. */
    outOfOrder: z.boolean(),
    /** The status API answers 5xx, or never answers in time. */
    statusApi: z.enum(["5xx", "timeout"]),
    /** The initialization API answers 5xx, or never answers in time. */
    init: z.enum(["5xx", "timeout"]),
    /** 429 after N calls in a minute, on every API endpoint of the account. */
    rateLimitPerMinute: z.number().int().min(1).max(10_000),
    /** Notifications carry an amount that is not the one paid (signed as usual). */
    tamperAmount: z.boolean(),
    /**
     * The status API's answer leaves out the amount or the currency, as some real answers do
     * (PROVIDERS.md: KKiaPay's has no currency, Orange's no amount): no proof of what was paid.
     */
    statusAnswerOmits: z.enum(["amount", "currency"]),
    /** The status answer reports a paid transaction's fees with a fraction (KKiaPay has sent "fees": 28.5). */
    fractionalFees: z.boolean(),
  })
  .partial()
  .strict();

export type Faults = z.infer<typeof faultsSchema>;

export async function getAccountFaults(deps: SandboxDeps, provider: ProviderId, accountId: string): Promise<Faults> {
  const [row] = await deps.db
    .select({ faults: sandboxAccounts.faults })
    .from(sandboxAccounts)
    .where(and(eq(sandboxAccounts.provider, provider), eq(sandboxAccounts.accountId, accountId)));
  const parsed = faultsSchema.safeParse(row?.faults ?? {});
  return parsed.success ? parsed.data : {};
}

export async function setAccountFaults(deps: SandboxDeps, provider: ProviderId, accountId: string, faults: Faults): Promise<void> {
  await deps.db
    .insert(sandboxAccounts)
    .values({ provider, accountId, faults })
    .onConflictDoUpdate({ target: [sandboxAccounts.provider, sandboxAccounts.accountId], set: { faults, updatedAt: new Date() } });
}

export async function getAccountSettings(deps: SandboxDeps, provider: ProviderId, accountId: string): Promise<Record<string, unknown>> {
  const [row] = await deps.db
    .select({ settings: sandboxAccounts.settings })
    .from(sandboxAccounts)
    .where(and(eq(sandboxAccounts.provider, provider), eq(sandboxAccounts.accountId, accountId)));
  return row?.settings ?? {};
}

export async function setAccountSettings(deps: SandboxDeps, provider: ProviderId, accountId: string, settings: Record<string, unknown>): Promise<void> {
  await deps.db
    .insert(sandboxAccounts)
    .values({ provider, accountId, settings })
    .onConflictDoUpdate({ target: [sandboxAccounts.provider, sandboxAccounts.accountId], set: { settings, updatedAt: new Date() } });
}

export function mergeFaults(account: Faults, payment: unknown): Faults {
  const parsed = faultsSchema.safeParse(payment ?? {});
  return { ...account, ...(parsed.success ? parsed.data : {}) };
}

/** Counts a call in the current minute; true when the account is over its simulated limit. */
export async function overRateLimit(deps: SandboxDeps, provider: ProviderId, accountId: string, faults: Faults): Promise<boolean> {
  if (!faults.rateLimitPerMinute) return false;
  const now = deps.now?.() ?? new Date();
  const windowStart = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const [row] = await deps.db
    .insert(sandboxRateCounters)
    .values({ provider, accountId, windowStart, calls: 1 })
    .onConflictDoUpdate({
      target: [sandboxRateCounters.provider, sandboxRateCounters.accountId, sandboxRateCounters.windowStart],
      set: { calls: sql`${sandboxRateCounters.calls} + 1` },
    })
    .returning({ calls: sandboxRateCounters.calls });
  return (row?.calls ?? 0) > faults.rateLimitPerMinute;
}

/**
 * A status answer as the statusAnswerOmits fault leaves it: without the field the provider names
 * the amount or the currency with (`names`; a provider whose answer has no such field keeps it whole).
 */
export function omitFromAnswer<T extends Record<string, unknown>>(answer: T, faults: Faults, names: { amount?: string; currency?: string }): T {
  const name = faults.statusAnswerOmits ? names[faults.statusAnswerOmits] : undefined;
  if (!name) return answer;
  const rest: Record<string, unknown> = { ...answer };
  delete rest[name];
  return rest as T;
}

/** Applies an API fault: a 5xx answer, or a stall longer than any sane client timeout. */
export async function apiFault(kind: "5xx" | "timeout" | undefined, req: Request): Promise<Response | null> {
  if (kind === "5xx") return new Response("Service Unavailable", { status: 503, headers: { "content-type": "text/plain" } });
  if (kind === "timeout") {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 60_000);
      req.signal?.addEventListener("abort", () => {
        clearTimeout(timer);
        resolve();
      });
    });
    return new Response("Gateway Timeout", { status: 504, headers: { "content-type": "text/plain" } });
  }
  return null;
}
