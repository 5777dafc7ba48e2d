import { and, eq, gte, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { signInAttempts } from "@/db/schema";

/**
 * Failed sign-ins are counted per e-mail and per client address in 15-minute windows (a lock
 * lasts 15 to 30 minutes), in the database so every instance sees the same count. Over the limit, the password is not even
 * checked: guessing stops, and the answer time says nothing.
 */
export const WINDOW_MS = 15 * 60_000;
export const LIMITS = { email: 5, ip: 30 } as const;

/** The first hop of X-Forwarded-For (set by the proxy in front of the app), else nothing. */
export function clientAddress(forwardedFor: unknown): string | null {
  const first = typeof forwardedFor === "string" ? forwardedFor.split(",")[0]?.trim() : undefined;
  return first || null;
}

function windowStart(now: Date): Date {
  return new Date(Math.floor(now.getTime() / WINDOW_MS) * WINDOW_MS);
}

function keys(email: string, ip: string | null) {
  return { email: `email:${email.toLowerCase()}`, ip: ip ? `ip:${ip}` : null };
}

export async function signInBlocked(db: Db, email: string, ip: string | null, now = new Date()): Promise<boolean> {
  const k = keys(email, ip);
  const rows = await db
    .select({ key: signInAttempts.key, failures: signInAttempts.failures })
    .from(signInAttempts)
    // This window and the one before: crossing a window boundary never resets a count to zero.
    .where(and(inArray(signInAttempts.key, [k.email, ...(k.ip ? [k.ip] : [])]), gte(signInAttempts.windowStart, new Date(windowStart(now).getTime() - WINDOW_MS))));
  const total = (key: string) => rows.filter((r) => r.key === key).reduce((sum, r) => sum + r.failures, 0);
  return total(k.email) >= LIMITS.email || (k.ip !== null && total(k.ip) >= LIMITS.ip);
}

export async function recordFailedSignIn(db: Db, email: string, ip: string | null, now = new Date()): Promise<void> {
  const k = keys(email, ip);
  const start = windowStart(now);
  for (const key of [k.email, ...(k.ip ? [k.ip] : [])]) {
    await db
      .insert(signInAttempts)
      .values({ key, windowStart: start, failures: 1 })
      .onConflictDoUpdate({ target: [signInAttempts.key, signInAttempts.windowStart], set: { failures: sql`${signInAttempts.failures} + 1` } });
  }
}

/** A successful sign-in clears the e-mail's count (not the address's: one good account proves little). */
export async function clearSignInFailures(db: Db, email: string): Promise<void> {
  await db.delete(signInAttempts).where(eq(signInAttempts.key, keys(email, null).email));
}
