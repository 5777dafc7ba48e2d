/**
 * KKiaPay answers errors with its status vocabulary (SDK STATUS.php: TRANSACTION_NOT_FOUND,
 * INVALID_TRANSACTION, TRANSACTION_NOT_ELIGIBLE…) in a `status` field and a human `message`;
 * the HTTP code is not documented, so each one gets the closest standard code. Both SDKs treat
 * any non-2xx as a failure, which is all that integrations rely on.
 */
export const KKIAPAY_ERRORS = {
  unauthorized: { http: 401, status: "UNAUTHORIZED", message: "Invalid or missing API keys" },
  badRequest: { http: 400, status: "INVALID_REQUEST", message: "transactionId is required" },
  notFound: { http: 404, status: "TRANSACTION_NOT_FOUND", message: "Transaction not found" },
  notYours: { http: 403, status: "INVALID_TRANSACTION", message: "This transaction does not belong to this account" },
  notEligible: { http: 400, status: "TRANSACTION_NOT_ELIGIBLE", message: "Only successful mobile money transactions can be reverted" },
  tooManyRequests: { http: 429, status: "TOO_MANY_REQUESTS", message: "Too many requests, retry later" },
  methodNotAllowed: { http: 405, status: "METHOD_NOT_ALLOWED", message: "Use POST" },
} as const;

export type KkiapayErrorKind = keyof typeof KKIAPAY_ERRORS;

export function kkiapayError(kind: KkiapayErrorKind, extra: Record<string, unknown> = {}, headers?: Record<string, string>): Response {
  const e = KKIAPAY_ERRORS[kind];
  return Response.json({ status: e.status, message: e.message, ...extra }, { status: e.http, headers });
}
