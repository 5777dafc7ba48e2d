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
  // What the widget offers (kkiapay@2.0.38's IData): read leniently, a wrong type offers everything.
  countries: z.array(z.string().max(8)).max(10).optional().catch(undefined),
  paymentMethods: z.array(z.string().max(20)).max(10).optional().catch(undefined),
  paymentmethod: z.array(z.string().max(20)).max(10).optional().catch(undefined),
  providers: z
    .object({ accept: z.array(z.string().max(20)).max(20).optional(), exclude: z.array(z.string().max(20)).max(20).optional() })
    .optional()
    .catch(undefined),
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
  countries?: string[];
  paymentMethods?: string[];
  providers?: { accept?: string[]; exclude?: string[] };
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
    countries: c.countries,
    paymentMethods: c.paymentMethods ?? c.paymentmethod,
    providers: c.providers,
  };
}

export const OPERATORS = ["mtn", "moov", "orange", "wave", "celtiis", "card"] as const;
export type Operator = (typeof OPERATORS)[number];

/** The names kkiapay@2.0.38 types for `providers` and `providersPriority` (its Provider type). */
const PROVIDER_NAMES: Record<Operator, readonly string[]> = { mtn: ["mtn"], moov: ["moov"], orange: ["orange"], wave: ["wave"], celtiis: ["celtiis"], card: ["visa", "mastercard"] };
const PAYMENT_METHODS = ["momo", "card", "direct_debit"];

/**
 * What the widget lets the shopper pay with, from the merchant's config (PROVIDERS.md §3.1):
 * `paymentMethods` keeps mobile money (momo) and/or card, any value outside momo|card|direct_debit
 * resetting it to all; `providers.accept` keeps the operators it names, `providers.exclude` drops
 * them. A filter that would leave nothing is ignored, as a widget with no way to pay is no widget.
 * One operator left: the widget does not ask again, the shopper chose it at the merchant's.
 */
export function offeredOperators(c: Pick<WidgetConfig, "paymentMethods" | "providers">): Operator[] {
  const names = (op: Operator) => PROVIDER_NAMES[op];
  const narrow = (ops: Operator[], keep: (op: Operator) => boolean) => (ops.filter(keep).length ? ops.filter(keep) : ops);
  const methods = c.paymentMethods;
  let ops: Operator[] = [...OPERATORS];
  if (methods?.length && methods.every((m) => PAYMENT_METHODS.includes(m))) ops = narrow(ops, (op) => methods.includes(op === "card" ? "card" : "momo"));
  const accept = c.providers?.accept;
  if (accept?.length) ops = narrow(ops, (op) => names(op).some((n) => accept.includes(n)));
  const exclude = c.providers?.exclude;
  if (exclude?.length) ops = narrow(ops, (op) => !names(op).some((n) => exclude.includes(n)));
  return ops;
}

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
