import { createHash } from "node:crypto";
import { and, eq, isNull, lt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiIdempotencyKeys } from "@/db/schema";
import { ApiError, JSON_HEADERS } from "./errors";

/**
 * Idempotency-Key on POST: the first request with a key runs; the same key with the same request
 * gets the first answer again (status and body) for 24 hours; with another request, a 409. The
 * key's row is inserted BEFORE the request runs, so of two concurrent twins exactly one inserts it
 * and runs: the other finds it unanswered (409, retry later) or answered (the replay). Keys are
 * scoped to the API key. An answer of ours that failed (5xx) is not kept: the key may run again.
 */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60_000;
export const IDEMPOTENCY_KEY_FORMAT = /^[\x21-\x7e]{1,255}$/;

/** `replay`: what a replay answers, when the first answer holds what must not be kept (a secret shown once). */
export type Answer = { status: number; body: unknown; replay?: unknown };

export const requestHash = (method: string, path: string, body: string) => createHash("sha256").update(`${method} ${path}\n${body}`).digest("hex");

export function idempotencyKeyOf(req: Request): string | null {
  const key = req.headers.get("idempotency-key");
  if (key === null) return null;
  if (!IDEMPOTENCY_KEY_FORMAT.test(key)) throw new ApiError(400, "idempotency_error", "idempotency_key_invalid", "Idempotency-Key must be 1 to 255 printable ASCII characters.");
  return key;
}

export async function idempotent(db: Db, apiKeyId: string, key: string, hash: string, now: Date, run: () => Promise<Answer>): Promise<Response> {
  const cutoff = new Date(now.getTime() - IDEMPOTENCY_TTL_MS);
  // Expired keys (this API key's) are forgotten first: the same key may then start afresh.
  await db.delete(apiIdempotencyKeys).where(and(eq(apiIdempotencyKeys.apiKeyId, apiKeyId), lt(apiIdempotencyKeys.createdAt, cutoff)));
  const claimed = await db.insert(apiIdempotencyKeys).values({ apiKeyId, key, requestHash: hash, createdAt: now }).onConflictDoNothing().returning({ key: apiIdempotencyKeys.key });
  const mine = and(eq(apiIdempotencyKeys.apiKeyId, apiKeyId), eq(apiIdempotencyKeys.key, key));
  if (!claimed.length) {
    const [first] = await db.select().from(apiIdempotencyKeys).where(mine);
    if (!first) throw new ApiError(409, "idempotency_error", "idempotency_key_in_use", "A request with this Idempotency-Key is in progress: retry in a moment.", null, { "retry-after": "1" });
    if (first.requestHash !== hash) throw new ApiError(409, "idempotency_error", "idempotency_key_reused", "This Idempotency-Key was used with another request: use a new key for a new request.");
    if (first.responseStatus === null) throw new ApiError(409, "idempotency_error", "idempotency_key_in_use", "A request with this Idempotency-Key is in progress: retry in a moment.", null, { "retry-after": "1" });
    return new Response(first.responseBody, { status: first.responseStatus, headers: { ...JSON_HEADERS, "idempotent-replayed": "true" } });
  }
  let answer: Answer;
  try {
    answer = await run();
  } catch (error) {
    if (!(error instanceof ApiError) || error.status >= 500) {
      await db.delete(apiIdempotencyKeys).where(and(mine, isNull(apiIdempotencyKeys.responseStatus)));
      throw error;
    }
    answer = { status: error.status, body: error.body() };
  }
  const text = JSON.stringify(answer.body);
  const kept = answer.replay === undefined ? text : JSON.stringify(answer.replay);
  await db.update(apiIdempotencyKeys).set({ responseStatus: answer.status, responseBody: kept }).where(mine);
  return new Response(text, { status: answer.status, headers: JSON_HEADERS });
}
