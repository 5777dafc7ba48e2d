import { z } from "zod";

/** Stored per merchant. secretKey is the dashboard's webhook hash secret AND the x-secret-key header. */
export const credentialsSchema = z.object({
  publicKey: z.string().trim().min(1),
  privateKey: z.string().trim().min(1),
  secretKey: z.string().trim().min(1),
});
export type KkiapayCredentials = z.infer<typeof credentialsSchema>;

/** What we send to /api/v1/transactions/status and /revert: exactly this, nothing more. */
export const transactionRequestSchema = z.strictObject({ transactionId: z.string().min(1) });

const amount = z.union([z.number(), z.string().regex(/^\d+(\.\d+)?$/).transform(Number)]);
const text = z.string().nullish();

/**
 * The verify object (§3.2) read tolerantly: amounts may come as strings, unknown fields are
 * kept, and the seed's webhook-style fields (isPaymentSucces, stateData, method) are accepted
 * as fallbacks.
 */
export const verifyResponseSchema = z.looseObject({
  status: z.string(),
  transactionId: z.union([z.string(), z.number()]).transform(String).optional(),
  amount: amount.optional(),
  fees: amount.nullish(),
  net: amount.nullish(),
  source: text,
  source_common_name: text,
  method: text,
  reason: text,
  failureCode: text,
  failureMessage: text,
  state: z.unknown().optional(),
  stateData: z.unknown().optional(),
  partnerId: text,
  externalTransactionId: text,
  performed_at: text,
  performedAt: text,
});
export type VerifyResponse = z.infer<typeof verifyResponseSchema>;

/** Error answers carry KKiaPay's status vocabulary (TRANSACTION_NOT_FOUND…) and a message. */
export const errorResponseSchema = z.looseObject({
  status: z.union([z.string(), z.number()]).optional(),
  code: z.union([z.string(), z.number()]).optional(),
  message: text,
  reason: text,
});

export const revertResponseSchema = z.looseObject({
  code: z.string(),
  description: text,
  transactionId: z.union([z.string(), z.number()]).transform(String).optional(),
});

/** The webhook body (§3.3), tolerant: only transactionId is required to act on it. */
export const webhookSchema = z.looseObject({
  transactionId: z.union([z.string().min(1), z.number()]).transform(String),
  isPaymentSucces: z.boolean().optional(),
  event: z.string().optional(),
  amount: amount.optional(),
  fees: amount.nullish(),
  stateData: z.unknown().optional(),
  partnerId: text,
  method: text,
  failureCode: text,
  failureMessage: text,
});
export type KkiapayWebhook = z.infer<typeof webhookSchema>;
