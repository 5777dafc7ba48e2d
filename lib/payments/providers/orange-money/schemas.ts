import { z } from "zod";

/**
 * Strict in what we send, tolerant in what we read (PROVIDERS.md preamble): request bodies are
 * .strict() and fully typed; answers accept numbers as strings and ignore unknown fields.
 */

export const credentialsSchema = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  /** Identifies the OM wallet; sent in every web payment request, and our public id. */
  merchantKey: z.string().min(1),
  /**
   * The path segment of the WebPay API: "dev" (sandbox, currency OUV) or the merchant's country
   * code in production ("ci", "ml", "sn"…). The adapter cannot guess the country, hence stored.
   */
  environment: z
    .string()
    .regex(/^(dev|[a-z]{2})$/, "dev or a two-letter country code")
    .default("dev"),
});
export type OrangeCredentials = z.output<typeof credentialsSchema>;

const intLike = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);

// ---- OAuth v3 -------------------------------------------------------------------------------

export const tokenRequestSchema = z.object({ grant_type: z.literal("client_credentials") }).strict();

/** expires_in is the string "7776000" on the wire (PROVIDERS.md §2.2); accept a number too. */
export const tokenResponseSchema = z.object({
  token_type: z.string().optional(),
  access_token: z.string().min(1),
  expires_in: intLike.optional(),
});

// ---- Web payment ----------------------------------------------------------------------------

export const ORDER_ID_MAX = 30;
export const REFERENCE_MAX = 30;
export const URL_MAX = 120;

export const webPaymentRequestSchema = z
  .object({
    merchant_key: z.string().min(1),
    currency: z.string().regex(/^[A-Z]{3}$/),
    order_id: z.string().min(1).max(ORDER_ID_MAX),
    amount: z.number().int().positive(),
    return_url: z.url().max(URL_MAX),
    cancel_url: z.url().max(URL_MAX),
    notif_url: z.url().max(URL_MAX),
    lang: z.enum(["fr", "en"]),
    reference: z.string().min(1).max(REFERENCE_MAX),
  })
  .strict();
export type WebPaymentRequest = z.infer<typeof webPaymentRequestSchema>;

export const webPaymentResponseSchema = z.object({
  status: intLike.optional(),
  message: z.string().optional(),
  pay_token: z.string().min(1),
  payment_url: z.url(),
  notif_token: z.string().min(1),
});

// ---- Transaction status ---------------------------------------------------------------------

export const statusRequestSchema = z
  .object({
    order_id: z.string().min(1).max(ORDER_ID_MAX),
    amount: z.number().int().positive(),
    pay_token: z.string().min(1),
  })
  .strict();
export type StatusRequest = z.infer<typeof statusRequestSchema>;

export const statusResponseSchema = z.object({
  status: z.string().min(1),
  order_id: z.string().optional(),
  txnid: z.string().nullish(),
});

// ---- Notification ---------------------------------------------------------------------------

/**
 * {status, notif_token, txnid} (§2.5). The seed claims some deployments add an amount, maybe as
 * a string: tolerated and ignored, since only transactionstatus is believed.
 */
export const notificationSchema = z.object({
  status: z.string().min(1),
  notif_token: z.string().min(1),
  txnid: z.string().nullish(),
  amount: z.union([z.number(), z.string()]).optional(),
});
export type OrangeNotification = z.infer<typeof notificationSchema>;

// ---- Errors ---------------------------------------------------------------------------------

/** Orange's gateway envelope; the code is a number, but read a string too. */
export const errorSchema = z.object({
  code: intLike,
  message: z.string().optional(),
  description: z.string().optional(),
});

/** What the adapter keeps in payments.stored to ask about the payment again. */
export const storedSchema = z.object({
  payToken: z.string().optional(),
  environment: z.string().optional(),
  /** The exact amount and currency sent (whole units; OUV on dev): transactionstatus wants them back. */
  amount: z.number().int().optional(),
  currency: z.string().optional(),
  expiresAt: z.string().optional(),
});
