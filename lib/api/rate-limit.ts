import { and, eq, lt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiRequestCounts } from "@/db/schema";
import { ApiError } from "./errors";

/**
 * Requests per API key in fixed windows, counted by one upsert in the database so that every
 * instance shares the count (lib/auth/rate-limit.ts does the same for sign-ins, in windows of its
 * own length: its table's clean-up would erase these). Over the limit: 429 with Retry-After, the
 * seconds until the window ends.
 */
export type RateLimit = { requests: number; windowMs: number };
export const DEFAULT_RATE_LIMIT: RateLimit = { requests: 100, windowMs: 10_000 };

export async function countRequest(db: Db, apiKeyId: string, limit: RateLimit, now: Date): Promise<void> {
  const windowStart = new Date(Math.floor(now.getTime() / limit.windowMs) * limit.windowMs);
  const [row] = await db
    .insert(apiRequestCounts)
    .values({ apiKeyId, windowStart, requests: 1 })
    .onConflictDoUpdate({ target: [apiRequestCounts.apiKeyId, apiRequestCounts.windowStart], set: { requests: sql`${apiRequestCounts.requests} + 1` } })
    .returning({ requests: apiRequestCounts.requests });
  // The first request of a window sweeps the key's earlier ones: one delete per window, not per request.
  if (row!.requests === 1) await db.delete(apiRequestCounts).where(and(eq(apiRequestCounts.apiKeyId, apiKeyId), lt(apiRequestCounts.windowStart, windowStart)));
  if (row!.requests > limit.requests) {
    const retryAfter = Math.max(1, Math.ceil((windowStart.getTime() + limit.windowMs - now.getTime()) / 1000));
    throw new ApiError(429, "rate_limit_error", "rate_limited", `Too many requests for this API key: at most ${limit.requests} every ${limit.windowMs / 1000} s.`, null, { "retry-after": String(retryAfter) });
  }
}
