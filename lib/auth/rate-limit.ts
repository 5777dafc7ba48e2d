import { isIP } from "node:net";
import { and, eq, lt, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import { signInAttempts } from "@/db/schema";

/**
 * Sign-in attempts are counted per e-mail and per client address in 15-minute windows (a lock
 * lasts 15 to 30 minutes), in the database so every instance sees the same count. Each attempt is
 * counted BEFORE its password is checked, by one statement that increments and reads the count:
 * concurrent guesses each get their own number, so at most the limit of them ever reach bcrypt.
 * Over the limit the password is not even checked: guessing stops, and the answer time says nothing.
 * A success gives its attempt back (the `failures` column holds attempts not known to have succeeded).
 */
export const WINDOW_MS = 15 * 60_000;
export const LIMITS = { email: 5, ip: 30 } as const;

/**
 * The client's address, or null when it cannot be known.
 *
 * Next's App Router hands route handlers and server actions no socket address (`NextRequest.ip`
 * was removed in Next 15: "these values are provided by your hosting provider"), and next-auth's
 * `authorize` only receives the headers. `next start` fills X-Forwarded-For with the socket's
 * address only when the request has none, so the client can always write it. It is therefore read
 * only when `trustedHops` proxies of ours stand in front (TRUSTED_PROXY_HOPS): each appends the
 * address it received the request from, so the entry `trustedHops` from the end is the one the
 * outermost trusted proxy saw; everything before it was written by the client. With no trusted
 * proxy (the default) no address is known and only the per-e-mail limit applies.
 */
export function clientAddress(forwardedFor: unknown, trustedHops: number): string | null {
  if (trustedHops < 1 || typeof forwardedFor !== "string") return null;
  const hops = forwardedFor.split(",").map((hop) => hop.trim());
  if (hops.length < trustedHops) return null;
  const address = hops[hops.length - trustedHops]!;
  return isIP(address) ? address : null;
}

function windowStart(now: Date): Date {
  return new Date(Math.floor(now.getTime() / WINDOW_MS) * WINDOW_MS);
}

function keys(email: string, ip: string | null) {
  return { email: `email:${email.toLowerCase()}`, ip: ip ? `ip:${ip}` : null };
}

/** What a success needs to give its attempt back. */
export type SignInAttempt = { allowed: boolean; email: string; ip: string | null; windowStart: Date };

const previousWindow = alias(signInAttempts, "previous_window");

/**
 * Counts one attempt under each key (in this order, so concurrent statements lock rows in one
 * order and never deadlock) and gives each key's total over this window and the one before. The
 * upsert takes each row's lock, so concurrent attempts are numbered one after another; the window
 * before is added so that crossing a window boundary never resets a count to zero. Shared by the
 * sign-in limit and the checkout's per-order attempt limit (lib/checkout/attempt-limit.ts).
 */
export async function countAttempts(db: Db, keys: string[], now = new Date()): Promise<{ totals: Map<string, number>; windowStart: Date }> {
  const start = windowStart(now);
  const counted = db.$with("counted").as(
    db
      .insert(signInAttempts)
      .values(keys.map((key) => ({ key, windowStart: start, failures: 1 })))
      .onConflictDoUpdate({ target: [signInAttempts.key, signInAttempts.windowStart], set: { failures: sql`${signInAttempts.failures} + 1` } })
      .returning({ key: signInAttempts.key, failures: signInAttempts.failures }),
  );
  const rows = await db
    .with(counted)
    .select({ key: counted.key, total: sql<number>`${counted.failures} + coalesce(${previousWindow.failures}, 0)`.mapWith(Number) })
    .from(counted)
    .leftJoin(previousWindow, and(eq(previousWindow.key, counted.key), eq(previousWindow.windowStart, new Date(start.getTime() - WINDOW_MS))));
  // The windows before the previous one count for nothing: forgotten, or every e-mail anyone
  // ever typed (typos of real addresses too) would stay here for good, written without a session.
  await db.delete(signInAttempts).where(lt(signInAttempts.windowStart, new Date(start.getTime() - WINDOW_MS)));
  return { totals: new Map(rows.map((r) => [r.key, r.total])), windowStart: start };
}

/** Counts one attempt for the e-mail and the address and says whether it may be evaluated. */
export async function countSignInAttempt(db: Db, email: string, ip: string | null, now = new Date()): Promise<SignInAttempt> {
  const k = keys(email, ip);
  // Always the e-mail's row before the address's.
  const { totals, windowStart: start } = await countAttempts(db, [k.email, ...(k.ip ? [k.ip] : [])], now);
  const over = (key: string | null, limit: number) => key !== null && (totals.get(key) ?? 0) > limit;
  return { allowed: !over(k.email, LIMITS.email) && !over(k.ip, LIMITS.ip), email, ip, windowStart: start };
}

/**
 * A success clears the e-mail's count and gives the address back its one attempt: an office
 * behind one address is not locked out by its own good sign-ins, and one good account proves
 * nothing about the address's other guesses.
 */
export async function signInSucceeded(db: Db, attempt: SignInAttempt): Promise<void> {
  const k = keys(attempt.email, attempt.ip);
  await db.delete(signInAttempts).where(eq(signInAttempts.key, k.email));
  if (!k.ip) return;
  await db
    .update(signInAttempts)
    .set({ failures: sql`greatest(${signInAttempts.failures} - 1, 0)` })
    .where(and(eq(signInAttempts.key, k.ip), eq(signInAttempts.windowStart, attempt.windowStart)));
}
