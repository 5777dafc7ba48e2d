import { BodyTooLarge } from "@/lib/body-limit";
import { errorMessage, logger } from "@/lib/log";
import { isRecordId, isUnreadableUrl } from "@/lib/validation";
import type { ApiCall, ApiDeps } from "./deps";
import { API_PREFIX, type ApiRoute } from "./define-route";
import { ApiError, errorResponse, invalid, json, notFound } from "./errors";
import { idempotencyKeyOf, idempotent, requestHash } from "./idempotency";
import { authenticateApiKey } from "./keys";
import { OPENAPI_PATH, openApiResponse } from "./openapi";
import { countRequest } from "./rate-limit";
import { API_ROUTES } from "./registry";
import { bearerToken, parseBody, parseQuery, readJsonText } from "./request";

/**
 * The merchant API (/api/v1) as one plain Request → Response function: the catch-all route file
 * calls it, and integration tests serve the same function over a real socket. Every request but
 * the public OpenAPI document is authenticated (Bearer key), counted against its key's rate
 * limit, then routed through the registry (lib/api/registry.ts), whose schemas validate the
 * query and the body; a POST's JSON body is read against a cap and runs under its
 * Idempotency-Key when it has one.
 */
export { API_PREFIX };

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

/** The `{name}` segments of `template` if `segments` fit it, else null. */
function matchPath(template: string, segments: string[]): Record<string, string> | null {
  const parts = template.split("/").filter(Boolean);
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of parts.entries()) {
    const name = /^\{(\w+)\}$/.exec(part)?.[1];
    if (name) params[name] = segments[i]!;
    else if (part !== segments[i]) return null;
  }
  return params;
}

async function handle(deps: ApiDeps, req: Request): Promise<Response> {
  const url = new URL(req.url);
  if (isUnreadableUrl(url)) throw invalid("invalid_url", "The URL holds a control character or does not decode.");
  // The one public path: the document says how to authenticate, so it cannot require it.
  if (url.pathname === OPENAPI_PATH && req.method === "GET") return openApiResponse(deps.payments.appUrl);
  const token = bearerToken(req);
  const now = deps.now?.() ?? new Date();
  const db = deps.payments.db;
  const caller = await authenticateApiKey(db, token, now);
  if (!caller) throw new ApiError(401, "authentication_error", "invalid_api_key", "This API key is unknown or revoked.", null, { "www-authenticate": 'Bearer realm="caisse"' });
  await countRequest(db, caller.keyId, deps.rateLimit, now);

  const segments = url.pathname.slice(API_PREFIX.length).split("/").filter(Boolean).map(decodeURIComponent);
  const matches = API_ROUTES.flatMap((route) => {
    const params = matchPath(route.path, segments);
    return params ? [{ route, params }] : [];
  });
  if (!matches.length) throw new ApiError(404, "invalid_request_error", "unknown_route", `No route ${req.method} ${url.pathname}.`);
  // An id as we mint them; anything else names nothing (and never reaches SQL).
  if (Object.values(matches[0]!.params).some((id) => !isRecordId(id))) throw notFound(segments[0]!.replace(/s$/, "").replace("-", " "));
  const match = matches.find((m) => m.route.method === req.method);
  if (!match) {
    const allowed = matches.map((m) => m.route.method).join(", ");
    throw new ApiError(405, "invalid_request_error", "method_not_allowed", `${req.method} is not allowed here: ${allowed}.`, null, { allow: allowed });
  }
  return serve(match.route, { deps, caller, url, now }, match.params, req);
}

async function serve(route: ApiRoute, call: ApiCall, params: Record<string, string>, req: Request): Promise<Response> {
  const query = route.query ? parseQuery(route.query, call.url) : undefined;
  // A DELETE carries no body and needs no Idempotency-Key: doing it twice leaves the same state (the second answers 404).
  if (route.method === "GET" || route.method === "DELETE") {
    const { status, body } = await route.handler(call, { params, query, body: undefined, idempotencyKey: null });
    return json(body, status);
  }
  const key = idempotencyKeyOf(req);
  const text = await readJsonText(req);
  // Parsed inside the run: a refused body is an answer, replayed for its key like any other.
  const run = () => route.handler(call, { params, query, body: route.body ? parseBody(route.body, text) : undefined, idempotencyKey: key });
  if (key === null) {
    const { status, body } = await run();
    return json(body, status);
  }
  return idempotent(call.deps.payments.db, call.caller.keyId, key, requestHash(req.method, call.url.pathname, text), call.now, run);
}
