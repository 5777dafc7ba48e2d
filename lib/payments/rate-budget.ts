import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { providerRateBudgets } from "@/db/schema";
import type { Mode } from "./types";

/**
 * Each provider account's status-API budget, shared by every app instance through one row of
 * provider_rate_budgets per account and mode. Windows are calendar minutes (as the sandbox, and
 * most providers, count them), so instances agree on them without talking to each other.
 */
export const BUDGET_WINDOW_MS = 60_000;

export type BudgetKey = { accountId: string; mode: Mode };
export type Grant = { granted: number; window: Date; paused: boolean };

const b = providerRateBudgets;
const keyIs = (key: BudgetKey) => and(eq(b.accountId, key.accountId), eq(b.mode, key.mode));

export function budgetWindow(at: Date): Date {
  return new Date(Math.floor(at.getTime() / BUDGET_WINDOW_MS) * BUDGET_WINDOW_MS);
}

/**
 * Asks for `asked` calls of an account's `limit` per minute, in one statement: the row is locked
 * by the upsert, so two instances asking at once are served one after the other. `used` counts
 * what was asked this minute; the grant is min(asked, limit − what was asked before), so grants
 * never add up past the limit. The caller hands back, at once, what it asked for and did not
 * spend (returnBudget): a crash in between only wastes the rest of that minute. Nothing is
 * granted (nor counted) while the account is paused.
 */
export async function takeBudget(db: Db, key: BudgetKey, asked: number, limit: number, at: Date): Promise<Grant> {
  const window = budgetWindow(at);
  const [row] = await db
    .insert(b)
    .values({ ...key, windowStartedAt: window, used: asked })
    .onConflictDoUpdate({
      target: [b.accountId, b.mode],
      set: {
        // greatest(): an instance whose clock lags never takes the window back.
        used: sql`case when ${b.windowStartedAt} < ${window.toISOString()}::timestamptz then ${asked}::int else ${b.used} + ${asked}::int end`,
        windowStartedAt: sql`greatest(${b.windowStartedAt}, ${window.toISOString()}::timestamptz)`,
      },
      setWhere: sql`${b.pausedUntil} is null or ${b.pausedUntil} <= ${at.toISOString()}::timestamptz`,
    })
    .returning({ used: b.used, windowStartedAt: b.windowStartedAt });
  if (!row) return { granted: 0, window, paused: true };
  const askedBefore = row.used - asked;
  return { granted: Math.max(0, Math.min(asked, limit - askedBefore)), window: row.windowStartedAt, paused: false };
}

/** Hands back calls asked for and not spent, unless their minute is already over. */
export async function returnBudget(db: Db, key: BudgetKey, grant: Grant, unspent: number): Promise<void> {
  if (grant.paused || unspent <= 0) return;
  await db
    .update(b)
    .set({ used: sql`greatest(0, ${b.used} - ${unspent}::int)` })
    .where(and(keyIs(key), eq(b.windowStartedAt, grant.window)));
}

/** Stops every instance's checks on an account until `until` (a 429); a later pause wins. */
export async function pauseAccount(db: Db, key: BudgetKey, until: Date, at: Date): Promise<void> {
  await db
    .insert(b)
    .values({ ...key, windowStartedAt: budgetWindow(at), used: 0, pausedUntil: until })
    .onConflictDoUpdate({ target: [b.accountId, b.mode], set: { pausedUntil: sql`greatest(${b.pausedUntil}, ${until.toISOString()}::timestamptz)` } });
}
