import { BodyTooLarge } from "@/lib/body-limit";
import { errorMessage, logger } from "@/lib/log";
import { isRecordId, isUnreadableUrl } from "@/lib/validation";
import type { ApiCall, ApiDeps } from "./deps";
import { ApiError, errorResponse, invalid, json, notFound } from "./errors";
import { idempotencyKeyOf, idempotent, requestHash, type Answer } from "./idempotency";
import { authenticateApiKey } from "./keys";
import { countRequest } from "./rate-limit";
import { bearerToken, readJsonText } from "./request";
import { getPayment, listPayments } from "./resources/payments";
import { createPaymentLink, listPaymentLinks } from "./resources/payment-links";
import { createRefund, getRefund } from "./resources/refunds";
import { createWebhookEndpoint, getWebhookEndpoint, listWebhookEndpoints } from "./resources/webhook-endpoints";

/**
 * The merchant API (/api/v1) as one plain Request → Response function: the catch-all route file
 * calls it, and integration tests serve the same function over a real socket. Every request is
 * authenticated (Bearer key), counted against its key's rate limit, then routed; a POST's JSON
 * body is read against a cap and runs under its Idempotency-Key when it has one.
 */
export const API_PREFIX = "/api/v1";

type Post = (call: ApiCall, body: string, idempotencyKey: string | null) => Promise<Answer>;
type Route = { GET?: (call: ApiCall, id?: string) => Promise<Response>; POST?: Post };

/** By resource, then: the collection (no id) or one object (with an id). */
const ROUTES: Record<string, { collection: Route; object: Route }> = {
  payments: { collection: { GET: listPayments }, object: { GET: (call, id) => getPayment(call, id!) } },
  refunds: { collection: { POST: createRefund }, object: { GET: (call, id) => getRefund(call, id!) } },
  "payment-links": { collection: { GET: listPaymentLinks, POST: (call, body) => createPaymentLink(call, body) }, object: {} },
  "webhook-endpoints": { collection: { GET: listWebhookEndpoints, POST: (call, body) => createWebhookEndpoint(call, body) }, object: { GET: (call, id) => getWebhookEndpoint(call, id!) } },
};

export async function apiResponse(deps: ApiDeps, req: Request): Promise<Response> {
  try {
    return await handle(deps, req);
  } catch (error) {
    if (error instanceof ApiError) return errorResponse(error);
    if (error instanceof BodyTooLarge) return errorResponse(invalid("body_too_large", `The body is above ${error.limit} bytes.`, null, 413));
    logger("api").error({ err: errorMessage(error), method: req.method, path: new URL(req.url).pathname }, "api request failed");
    return errorResponse(new ApiError(500, "api_error", "internal_error", "Something went wrong on our side; the request may be retried with the same Idempotency-Key."));
  }
}

async function handle(deps: ApiDeps, req: Request): Promise<Response> {
  const url = new URL(req.url);
  if (isUnreadableUrl(url)) throw invalid("invalid_url", "The URL holds a control character or does not decode.");
  const token = bearerToken(req);
  const now = deps.now?.() ?? new Date();
  const db = deps.payments.db;
  const caller = await authenticateApiKey(db, token, now);
  if (!caller) throw new ApiError(401, "authentication_error", "invalid_api_key", "This API key is unknown or revoked.", null, { "www-authenticate": 'Bearer realm="caisse"' });
  await countRequest(db, caller.keyId, deps.rateLimit, now);

  const segments = url.pathname.slice(API_PREFIX.length).split("/").filter(Boolean).map(decodeURIComponent);
  const [resource, id, ...rest] = segments;
  const routes = resource !== undefined && Object.hasOwn(ROUTES, resource) ? ROUTES[resource]! : null;
  if (!routes || rest.length) throw new ApiError(404, "invalid_request_error", "unknown_route", `No route ${req.method} ${url.pathname}.`);
  // An id as we mint them; anything else names nothing (and never reaches SQL).
  if (id !== undefined && !isRecordId(id)) throw notFound(resource!.replace(/s$/, "").replace("-", " "));
  const route = id === undefined ? routes.collection : routes.object;
  const call: ApiCall = { deps, caller, url, now };
  if (req.method === "GET" && route.GET) return route.GET(call, id);
  if (req.method === "POST" && route.POST) {
    const key = idempotencyKeyOf(req);
    const body = await readJsonText(req);
    const run = () => route.POST!(call, body, key);
    if (key === null) {
      const { status, body: answer } = await run();
      return json(answer, status);
    }
    return idempotent(db, caller.keyId, key, requestHash(req.method, url.pathname, body), now, run);
  }
  const allowed = Object.keys(route).join(", ");
  if (!allowed) throw new ApiError(404, "invalid_request_error", "unknown_route", `No route ${req.method} ${url.pathname}.`);
  throw new ApiError(405, "invalid_request_error", "method_not_allowed", `${req.method} is not allowed here: ${allowed}.`, null, { allow: allowed });
}
