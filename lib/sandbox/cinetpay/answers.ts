/** CinetPay's JSON answers: `{code, message, description}` on errors, with a non-2xx HTTP status. */
export function answer(httpStatus: number, body: Record<string, unknown>): Response {
  return Response.json(body, { status: httpStatus });
}

export function apiResponseId(now: Date): string {
  return `${Math.floor(now.getTime() / 1000)}.${String(now.getTime() % 10_000).padStart(4, "0")}`;
}

export const ERRORS = {
  fields: { http: 400, code: "608", message: "MINIMUM_REQUIRED_FIELDS" },
  apikey: { http: 401, code: "609", message: "AUTH_NOT_FOUND" },
  siteId: { http: 401, code: "613", message: "ERROR_SITE_ID_NOTVALID" },
  lockedPhone: { http: 400, code: "624", message: "An error occurred while processing the request" },
  duplicate: { http: 409, code: "620", message: "ERROR_DOUBLE_PAYEMNT" },
  rateLimited: { http: 429, code: "429", message: "TOO_MANY_REQUEST" },
  notJson: { http: 403, code: "403", message: "Forbidden" },
  noUserAgent: { http: 403, code: "1010", message: "ACCESS_DENIED" },
  // Undocumented for v2 [L]: the simulator's choice for a check on a transaction it never created.
  notFound: { http: 404, code: "404", message: "TRANSACTION_NOT_FOUND" },
} as const;

export function errorAnswer(kind: keyof typeof ERRORS, description: string): Response {
  const e = ERRORS[kind];
  return answer(e.http, { code: e.code, message: e.message, description });
}

/** Failure codes a tester can pick on the hosted page (PROVIDERS.md §1.4), with CinetPay's spelling. */
export const REFUSAL_CODES: Record<string, string> = {
  "600": "PAYMENT_FAILED",
  "602": "INSUFFISENT_BALANCE",
  "604": "OTP_CODE_ERROR",
  "635": "ERROR_PHONE_NUMBER_NOT_FOUND",
  "641": "ERROR_AMOUNT_TOO_LOW",
  "642": "ERROR_AMOUNT_TOO_HIGH",
  "804": "OPERATOR_UNAVAILABLE",
};

export const CANCEL = { code: "627", message: "TRANSACTION_CANCEL" } as const;
export const WAITING = { code: "623", message: "WAITING_CUSTOMER_TO_VALIDATE" } as const;
export const SUCCESS = { code: "00", message: "SUCCES" } as const;
export const CREATED = { code: "201", message: "CREATED" } as const;

/** CinetPay writes dates as "YYYY-MM-DD HH:mm:ss" (GMT, Abidjan's time). */
export function cinetpayDate(date: Date): string {
  return date.toISOString().slice(0, 19).replace("T", " ");
}
