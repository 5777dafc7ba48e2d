import { z } from "zod";
import type { Mode } from "@/lib/payments/types";
import { isPlainText } from "@/lib/validation";

/**
 * What POST /api/v1/checkout-sessions accepts. Amounts are integer minor units; metadata follows
 * Stripe's limits; the URLs are where the shopper is sent afterwards, so only http(s) URLs with
 * no credentials in them, https in live mode (a test key may use http on a loopback host, for a
 * merchant developing on their own machine).
 */
export const SESSION_TTL = { defaultMs: 24 * 60 * 60_000, minMs: 30 * 60_000, maxMs: 24 * 60 * 60_000 };
export const METADATA_LIMITS = { keys: 50, keyLength: 40, valueLength: 500 };
export const URL_MAX = 2048;
/** Replaced by the session's id in success_url, as Stripe does; without it, `session_id` is appended. */
export const SESSION_ID_PLACEHOLDER = "{CHECKOUT_SESSION_ID}";

const minor = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const text = (max: number) => z.string().trim().min(1).max(max).refine((v) => isPlainText(v), "control characters");

const lineItem = z.strictObject({
  name: text(120),
  unit_amount: minor,
  quantity: z.number().int().min(1).max(999),
});

const customer = z.strictObject({
  name: text(80).optional(),
  email: z.email().max(254).optional(),
  phone: z.string().trim().min(4).max(24).regex(/^\+?[0-9 ()-]+$/, "digits, spaces and one leading +").optional(),
  country: z.string().regex(/^[A-Z]{2}$/, "an ISO 3166 alpha-2 code, upper case").optional(),
});

const metadata = z
  .record(z.string().min(1).max(METADATA_LIMITS.keyLength, `keys are at most ${METADATA_LIMITS.keyLength} characters`), z.string().max(METADATA_LIMITS.valueLength, `values are at most ${METADATA_LIMITS.valueLength} characters`))
  .refine((m) => Object.keys(m).length <= METADATA_LIMITS.keys, `at most ${METADATA_LIMITS.keys} keys`);

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Why `value` cannot be a return URL for this mode, or null. */
export function returnUrlProblem(value: string, mode: Mode): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be an absolute URL";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must be an http(s) URL";
  if (url.username || url.password) return "must not hold credentials";
  if (url.protocol === "http:" && (mode === "live" || !LOOPBACK.has(url.hostname))) return mode === "live" ? "must use https with a live key" : "must use https (http only on localhost, with a test key)";
  return null;
}

const returnUrl = z.string().max(URL_MAX).refine((v) => isPlainText(v) && !/\s/.test(v), "must not hold spaces or control characters");

export const createSessionSchema = z
  .strictObject({
    amount: minor.optional(),
    line_items: z.array(lineItem).min(1).max(100).optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code, upper case"),
    client_reference: text(200).optional(),
    customer: customer.default({}),
    success_url: returnUrl,
    cancel_url: returnUrl,
    metadata: metadata.default({}),
    /** An ISO 8601 time with its offset, as the API writes every time (2026-12-08T10:00:00Z). */
    expires_at: z.iso.datetime({ offset: true }).optional(),
  })
  .superRefine((value, ctx) => {
    if ((value.amount === undefined) === (value.line_items === undefined)) {
      ctx.addIssue({ code: "custom", path: [value.amount === undefined ? "amount" : "line_items"], message: "give either amount or line_items, not both" });
    }
  });

export type CreateSessionInput = z.infer<typeof createSessionSchema>;
