/**
 * Orange's API gateway answers every error with the same envelope, {code, message, description},
 * whatever the API behind it (developer.orange.com "API error handling"). Codes are numbers.
 */
export const ORANGE_ERRORS = {
  invalidBody: { http: 400, code: 22, message: "Invalid body" },
  missingBodyField: { http: 400, code: 23, message: "Missing body field" },
  invalidBodyField: { http: 400, code: 24, message: "Invalid body field" },
  missingCredentials: { http: 401, code: 40, message: "Missing credentials" },
  invalidCredentials: { http: 401, code: 41, message: "Invalid credentials" },
  expiredCredentials: { http: 401, code: 42, message: "Expired credentials" },
  accessDenied: { http: 403, code: 50, message: "Access denied" },
  tooManyRequests: { http: 429, code: 53, message: "Too many requests" },
  notFound: { http: 404, code: 60, message: "Resource not found" },
  methodNotAllowed: { http: 405, code: 61, message: "Method not allowed" },
} as const;

export type OrangeErrorKind = keyof typeof ORANGE_ERRORS;

export function orangeError(kind: OrangeErrorKind, description: string, headers?: Record<string, string>): Response {
  const e = ORANGE_ERRORS[kind];
  return Response.json({ code: e.code, message: e.message, description }, { status: e.http, headers });
}
