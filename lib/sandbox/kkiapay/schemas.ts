import { z } from "zod";

/**
 * What the simulator reads: the widget config a merchant page passes to openKkiapayWidget (with
 * the real widget's aliases), the widget form, and the server API bodies.
 */
const optionalText = z.string().trim().max(500).optional();
const httpUrl = z
  .string()
  .trim()
  .refine((u) => /^https?:\/\//i.test(u) && URL.canParse(u), "must be an http(s) URL");

export const rawWidgetConfigSchema = z.looseObject({
  amount: z.coerce.number(),
  key: z.string().optional(),
  // The real widget accepts the public key under any of these names.
  api_key: z.string().optional(),
  publicAPIKey: z.string().optional(),
  apikey: z.string().optional(),
  sandbox: z.union([z.boolean(), z.string()]).optional(),
  position: optionalText,
  theme: optionalText,
  name: optionalText,
  fullname: optionalText,
  firstname: optionalText,
  lastname: optionalText,
  email: optionalText,
  phone: optionalText,
  phoneNumber: optionalText,
  reason: optionalText,
  data: z.union([z.string().max(2000), z.record(z.string(), z.unknown())]).optional(),
  partnerId: optionalText,
  partnerid: optionalText,
  callback: httpUrl.optional(),
  successCallback: httpUrl.optional(),
  failed_callback: httpUrl.optional(),
  /** Our own stored form of failed_callback (sandbox_transactions.request keeps the folded config). */
  failedCallback: httpUrl.optional(),
  lang: optionalText,
});

export type WidgetConfig = {
  amount: number;
  key: string;
  sandbox: boolean;
  name?: string;
  email?: string;
  phone?: string;
  reason?: string;
  data?: string | Record<string, unknown>;
  partnerId: string;
  callback?: string;
  failedCallback?: string;
  theme?: string;
  lang?: string;
};

/** Folds the aliases into one shape; null when the config cannot open a widget at all. */
export function parseWidgetConfig(input: unknown): WidgetConfig | null {
  const parsed = rawWidgetConfigSchema.safeParse(input);
  if (!parsed.success) return null;
  const c = parsed.data;
  const key = c.key ?? c.api_key ?? c.publicAPIKey ?? c.apikey;
  if (!key) return null;
  const fullName = c.name ?? c.fullname ?? ([c.firstname, c.lastname].filter(Boolean).join(" ") || undefined);
  return {
    amount: c.amount,
    key,
    sandbox: c.sandbox === true || c.sandbox === "true",
    name: fullName,
    email: c.email,
    phone: c.phone ?? c.phoneNumber,
    reason: c.reason,
    data: c.data,
    partnerId: c.partnerId ?? c.partnerid ?? "",
    callback: c.callback ?? c.successCallback,
    failedCallback: c.failed_callback ?? c.failedCallback,
    theme: c.theme,
    lang: c.lang,
  };
}

export const OPERATORS = ["mtn", "moov", "orange", "wave", "celtiis", "card"] as const;
export type Operator = (typeof OPERATORS)[number];

export const FAILURE_CODES = ["insufficient_fund", "wrong_pin", "invalid_number", "processing_error"] as const;
export type FailureCode = (typeof FAILURE_CODES)[number];

export const payFormSchema = z.object({
  config: z.string().min(2),
  action: z.enum(["pay", "abort"]),
  operator: z.enum(OPERATORS).optional(),
  phone: z.string().trim().max(20).optional(),
  outcome: z.enum(["success", "failed", "pending"]).optional(),
  failureCode: z.enum(FAILURE_CODES).optional(),
  lang: z.string().optional(),
});

export const confirmFormSchema = z.object({
  transactionId: z.string().min(1).max(40),
  outcome: z.enum(["success", "failed"]),
  failureCode: z.enum(FAILURE_CODES).optional(),
  lang: z.string().optional(),
});

export const apiBodySchema = z.object({ transactionId: z.string().min(1).max(100) });
