import { z } from "zod";
import { httpUrlSchema } from "../targets";
import { orangeError } from "./errors";

/**
 * Orange's WebPay backend is written in Go: body errors carry go-playground/validator messages
 * ("Key: 'GetTransactionStatusInfo.OrderId' Error:Field validation for 'OrderId' failed on the
 * 'required' tag", Foris/orange-money-sdk issue #3). The simulator reproduces those texts.
 */
type Field = { json: string; go: string; goType: "string" | "int" };

const WEB_PAYMENT_FIELDS: Field[] = [
  { json: "merchant_key", go: "MerchantKey", goType: "string" },
  { json: "currency", go: "Currency", goType: "string" },
  { json: "order_id", go: "OrderId", goType: "string" },
  { json: "amount", go: "Amount", goType: "int" },
  { json: "return_url", go: "ReturnUrl", goType: "string" },
  { json: "cancel_url", go: "CancelUrl", goType: "string" },
  { json: "notif_url", go: "NotifUrl", goType: "string" },
  { json: "lang", go: "Lang", goType: "string" },
  { json: "reference", go: "Reference", goType: "string" },
];

const STATUS_FIELDS: Field[] = [
  { json: "order_id", go: "OrderId", goType: "string" },
  { json: "amount", go: "Amount", goType: "int" },
  { json: "pay_token", go: "PayToken", goType: "string" },
];

const url = httpUrlSchema.max(120);

export const webPaymentBody = z.object({
  merchant_key: z.string().min(1),
  currency: z.string().min(1),
  order_id: z.string().min(1).max(30),
  amount: z.number().int().positive(),
  return_url: url,
  cancel_url: url,
  notif_url: url,
  lang: z.enum(["fr", "en"]).optional(),
  reference: z.string().min(1).max(30),
});
export type WebPaymentBody = z.infer<typeof webPaymentBody>;

export const statusBody = z.object({
  order_id: z.string().min(1),
  amount: z.number().int().positive(),
  pay_token: z.string().min(1),
});
export type StatusBody = z.infer<typeof statusBody>;

function tagOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "too_big":
      return "max";
    case "too_small":
      return issue.origin === "string" ? "required" : "gt";
    case "invalid_format":
      return "url";
    case "invalid_value":
      return "oneof";
    default:
      return "required";
  }
}

function goTypeName(value: unknown): string {
  if (typeof value === "number") return `number ${value}`;
  if (Array.isArray(value)) return "array";
  return value === null ? "null" : typeof value;
}

/** Parses a JSON body into `schema`, or the Orange error the Go backend would have answered. */
export async function readBody<T>(req: Request, schema: z.ZodType<T>, struct: "WebPaymentInfo" | "GetTransactionStatusInfo"): Promise<T | Response> {
  const fields = struct === "WebPaymentInfo" ? WEB_PAYMENT_FIELDS : STATUS_FIELDS;
  let raw: unknown;
  try {
    raw = JSON.parse(await req.text());
  } catch {
    return orangeError("invalidBody", "The request body is not valid JSON");
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return orangeError("invalidBody", `json: cannot unmarshal ${goTypeName(raw)} into Go value of type ${struct}`);
  const record = raw as Record<string, unknown>;
  // Go's json decoder fails on a type mismatch before the validator runs.
  for (const f of fields) {
    const value = record[f.json];
    if (value === undefined || value === null) continue;
    const fits = f.goType === "int" ? typeof value === "number" && Number.isInteger(value) : typeof value === "string";
    if (!fits) return orangeError("invalidBody", `json: cannot unmarshal ${goTypeName(value)} into Go struct field ${struct}.${f.json} of type ${f.goType}`);
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = fields.find((f) => f.json === issue.path[0]);
  const tag = tagOf(issue);
  const description = `Key: '${struct}.${field?.go ?? String(issue.path[0])}' Error:Field validation for '${field?.go ?? String(issue.path[0])}' failed on the '${tag}' tag`;
  return orangeError(tag === "required" ? "missingBodyField" : "invalidBodyField", description);
}
