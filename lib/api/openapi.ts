import { z } from "zod";
import { recordId } from "@/lib/validation";
import { API_PREFIX, type ApiRoute, type RouteError } from "./define-route";
import { IDEMPOTENCY_KEY_FORMAT } from "./idempotency";
import { API_BODY_LIMIT } from "./request";
import { DEFAULT_RATE_LIMIT } from "./rate-limit";
import { API_ROUTES } from "./registry";
import { components } from "./schemas";

/**
 * The OpenAPI 3.1 document of the merchant API, generated from the route registry and the very
 * zod schemas the router validates with (z.toJSONSchema: JSON Schema 2020-12, OpenAPI 3.1's own
 * dialect). Request schemas are given as the API reads them (io "input": a default makes a field
 * optional), answers as it writes them (io "output"). Served publicly at /api/v1/openapi.json and
 * rendered as the dashboard's API reference.
 */
export const OPENAPI_PATH = `${API_PREFIX}/openapi.json`;

type Json = Record<string, unknown>;
type Schema = Json;

/** One error a response may carry: read by the reference page, ignored by tools (an `x-` field). */
export type ErrorCode = { code: string; description: string };

const ERROR_SCHEMA = { $ref: "#/components/schemas/Error" };
const rate = DEFAULT_RATE_LIMIT;

const COMMON_ERRORS: readonly (RouteError & { when?: (route: ApiRoute) => boolean })[] = [
  { status: 400, code: "parameter_invalid", description: "A parameter is missing or invalid: `param` names it." },
  { status: 400, code: "parameter_unknown", description: "An unknown parameter: `param` names it.", when: (r) => Boolean(r.query ?? r.body) },
  { status: 400, code: "invalid_url", description: "The URL holds a control character or does not decode." },
  { status: 400, code: "invalid_json", description: "The body is not valid JSON.", when: (r) => r.method === "POST" },
  { status: 400, code: "invalid_characters", description: "The body holds a control character or an unpaired surrogate.", when: (r) => r.method === "POST" },
  { status: 400, code: "idempotency_key_invalid", description: "Idempotency-Key must be 1 to 255 printable ASCII characters.", when: (r) => r.method === "POST" },
  { status: 401, code: "missing_api_key", description: "No Authorization header." },
  { status: 401, code: "invalid_authorization", description: "The header is not `Bearer <key>`." },
  { status: 401, code: "invalid_api_key", description: "The key is unknown or revoked." },
  { status: 404, code: "resource_missing", description: "No such object, or another store's: the same answer.", when: (r) => r.path.includes("{") },
  { status: 409, code: "idempotency_key_reused", description: "This Idempotency-Key was used with another request.", when: (r) => r.method === "POST" },
  { status: 409, code: "idempotency_key_in_use", description: "A request with this Idempotency-Key is still running: retry after `Retry-After` seconds.", when: (r) => r.method === "POST" },
  { status: 413, code: "body_too_large", description: `The body is above ${API_BODY_LIMIT} bytes.`, when: (r) => r.method === "POST" },
  { status: 415, code: "unsupported_content_type", description: "The body is not sent as `application/json`.", when: (r) => r.method === "POST" },
  { status: 429, code: "rate_limited", description: `More than ${rate.requests} requests in ${rate.windowMs / 1000} s for this key: wait \`Retry-After\` seconds.` },
  { status: 500, code: "internal_error", description: "Something went wrong on our side: the request may be retried (with the same Idempotency-Key)." },
];

const STATUS_TEXT: Record<number, string> = {
  400: "Bad request",
  401: "Unauthorized",
  404: "Not found",
  409: "Conflict",
  413: "Payload too large",
  415: "Unsupported media type",
  422: "Unprocessable: the request was understood and refused",
  429: "Too many requests",
  500: "Internal error",
  502: "Bad gateway: the provider did not answer",
};

const RETRY_AFTER = { description: "Seconds to wait before trying again.", schema: { type: "integer", minimum: 1 } };

/** A zod schema as a standalone JSON Schema for the document (no `$schema` of its own). */
function jsonSchema(schema: z.ZodType, io: "input" | "output"): Schema {
  return standalone(z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Schema);
}

/** Without `$schema` and `$id`: the document's dialect and place already say them. */
function standalone(schema: Schema): Schema {
  return Object.fromEntries(Object.entries(schema).filter(([key]) => key !== "$schema" && key !== "$id"));
}

function componentSchemas(): Record<string, Schema> {
  const { schemas } = z.toJSONSchema(components, { io: "output", unrepresentable: "any", uri: (id) => `#/components/schemas/${id}` });
  return Object.fromEntries(Object.entries(schemas).map(([id, s]) => [id, standalone(s as Schema)]));
}

function refTo(schema: z.ZodType): Schema {
  const id = components.get(schema)?.id;
  if (!id) throw new Error("An API answer's schema must be registered in lib/api/schemas.ts (component).");
  return { $ref: `#/components/schemas/${id}` };
}

function parameters(route: ApiRoute): Json[] {
  const params: Json[] = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: "path",
    required: true,
    description: "The object's id.",
    schema: jsonSchema(recordId, "input"),
  }));
  if (route.query) {
    const query = jsonSchema(route.query, "input") as { properties?: Record<string, Schema>; required?: string[] };
    for (const [name, { description, ...schema }] of Object.entries(query.properties ?? {})) {
      params.push({ name, in: "query", required: query.required?.includes(name) ?? false, ...(description ? { description } : {}), schema });
    }
  }
  if (route.method === "POST") params.push({ $ref: "#/components/parameters/IdempotencyKey" });
  return params;
}

function responses(route: ApiRoute): Json {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const e of [...COMMON_ERRORS.filter((e) => !e.when || e.when(route)), ...(route.errors ?? [])]) {
    const codes = byStatus.get(e.status) ?? [];
    if (!codes.some((c) => c.code === e.code)) codes.push({ code: e.code, description: e.description });
    byStatus.set(e.status, codes);
  }
  const out: Json = {
    [route.response.status]: {
      description: route.response.description,
      ...(route.method === "POST" ? { headers: { "Idempotent-Replayed": { $ref: "#/components/headers/IdempotentReplayed" } } } : {}),
      content: { "application/json": { schema: refTo(route.response.schema) } },
    },
  };
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const headers = status === 429 || status === 409 ? { "Retry-After": { $ref: "#/components/headers/RetryAfter" } } : status === 401 ? { "WWW-Authenticate": { schema: { type: "string" } } } : null;
    out[status] = {
      description: STATUS_TEXT[status] ?? "Error",
      ...(headers ? { headers } : {}),
      content: { "application/json": { schema: ERROR_SCHEMA } },
      "x-error-codes": codes,
    };
  }
  return out;
}

function operation(route: ApiRoute): Json {
  return {
    operationId: route.operationId,
    tags: [route.tag],
    summary: route.summary,
    description: route.description,
    parameters: parameters(route),
    ...(route.body ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(route.body, "input") } } } } : {}),
    responses: responses(route),
  };
}

const INTRO = [
  "Caisse's merchant API: take payments, refund them and make payment links from your own site, app or bot.",
  "",
  "**Authentication.** Every request carries `Authorization: Bearer <key>`, a key made by the store's owner in Settings → Developers: `ck_test_…` works with the sandbox (the simulators, sandbox payments only), `ck_live_…` with the real providers.",
  "",
  `**Bodies** are JSON (\`Content-Type: application/json\`, ${API_BODY_LIMIT / 1024} KB at most). Amounts are integers in the currency's minor unit.`,
  "",
  "**Idempotency.** Any POST may carry `Idempotency-Key`: the same key with the same body within 24 hours gets the first answer again (with `Idempotent-Replayed: true`); with another body, a 409.",
  "",
  "**Lists** are newest first, in pages: `?limit=1..100&starting_after=<the last id of the page before>` answers `{object: \"list\", data, has_more}`.",
  "",
  `**Rate limit.** ${rate.requests} requests per ${rate.windowMs / 1000} s per key; beyond, 429 with \`Retry-After\` (seconds).`,
  "",
  "**Errors** always read `{error: {type, code, message, param}}`.",
].join("\n");

export function openApiDocument(appUrl: string): Json {
  const paths: Record<string, Json> = {};
  for (const route of API_ROUTES) (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route);
  return {
    openapi: "3.1.0",
    info: { title: "Caisse API", version: "1", description: INTRO },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    servers: [{ url: `${appUrl.replace(/\/$/, "")}${API_PREFIX}` }],
    security: [{ bearerAuth: [] }],
    tags: [...new Set(API_ROUTES.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "An API key: `Authorization: Bearer ck_test_…` (sandbox) or `ck_live_…` (live)." },
      },
      parameters: {
        IdempotencyKey: {
          name: "Idempotency-Key",
          in: "header",
          required: false,
          description: "Makes the POST safe to retry: the same key and body within 24 h replay the first answer; another body gets 409.",
          schema: { type: "string", pattern: IDEMPOTENCY_KEY_FORMAT.source },
        },
      },
      headers: {
        RetryAfter: RETRY_AFTER,
        IdempotentReplayed: { description: "`true` when this answer is the replay of an earlier request with the same Idempotency-Key.", schema: { type: "string", const: "true" } },
      },
      schemas: componentSchemas(),
    },
  };
}

const served = new Map<string, string>();

/** The document as served: the same for everyone, built once per process. */
export function openApiResponse(appUrl: string): Response {
  let text = served.get(appUrl);
  if (text === undefined) served.set(appUrl, (text = JSON.stringify(openApiDocument(appUrl))));
  return new Response(text, {
    status: 200,
    // Public and key-free: an editor or a code generator on another origin may read it.
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "public, max-age=300", "access-control-allow-origin": "*" },
  });
}
