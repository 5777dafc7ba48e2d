/**
 * The merchant API's one error shape, `{error: {type, code, message, param}}`, as Stripe writes
 * it: `type` says whose move it is (fix the request, the key, wait…), `code` is stable for
 * programs, `message` is for the developer reading logs (English, like every API message),
 * `param` names the field at fault.
 */
export type ApiErrorType = "invalid_request_error" | "authentication_error" | "idempotency_error" | "rate_limit_error" | "api_error";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: ApiErrorType,
    readonly code: string,
    message: string,
    readonly param: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }

  body() {
    return { error: { type: this.type, code: this.code, message: this.message, param: this.param } };
  }
}

export const notFound = (what: string, param: string | null = "id") => new ApiError(404, "invalid_request_error", "resource_missing", `No such ${what}.`, param);

export const invalid = (code: string, message: string, param: string | null = null, status = 400) => new ApiError(status, "invalid_request_error", code, message, param);

export const JSON_HEADERS = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" };

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

export function errorResponse(error: ApiError): Response {
  return json(error.body(), error.status, error.headers);
}
