import { z } from "zod";
import { CINETPAY_CURRENCIES } from "./amount";

/** What a merchant stores: the API key and site id go in every request; the Secret Key signs notifications. */
export const credentialsSchema = z.strictObject({
  apiKey: z.string().trim().min(1),
  siteId: z.string().trim().regex(/^\d+$/, "site_id is numeric"),
  secretKey: z.string().trim().min(1),
});
export type CinetpayCredentials = z.infer<typeof credentialsSchema>;

/** CinetPay asks to keep `# / $ _ &` out of ids and descriptions. */
const plainText = z.string().regex(/^[^#/$_&]*$/, "no # / $ _ & characters");

/** Channels combine with a comma (PROVIDERS.md §1.2); we only ever send this one combination. */
export const CHANNELS = ["ALL", "MOBILE_MONEY", "CREDIT_CARD", "WALLET", "MOBILE_MONEY, WALLET"] as const;

/** POST /v2/payment, exactly as documented: flat fields, metadata as a string. */
export const initRequestSchema = z.strictObject({
  apikey: z.string().min(1),
  site_id: z.string().regex(/^\d+$/),
  transaction_id: plainText.min(1).max(64),
  amount: z.number().positive(),
  currency: z.enum(CINETPAY_CURRENCIES),
  description: plainText.min(1),
  notify_url: z.url(),
  return_url: z.url(),
  channels: z.enum(CHANNELS),
  lang: z.enum(["fr", "en"]),
  metadata: z.string(),
  customer_name: z.string().min(1),
  customer_surname: z.string().min(1),
  customer_email: z.email().optional(),
  customer_phone_number: z.string().regex(/^\d+$/).optional(),
  customer_address: z.string().min(1).optional(),
  customer_city: z.string().min(1).optional(),
  customer_country: z.string().length(2),
  customer_state: z.string().min(1).optional(),
  customer_zip_code: z.string().min(1).optional(),
});
export type InitRequest = z.infer<typeof initRequestSchema>;

/** CinetPay writes codes as strings; some proxies and old SDKs turn them into numbers. */
const code = z.union([z.string(), z.number()]).transform((v) => String(v).trim());
const looseText = z.union([z.string(), z.number()]).transform((v) => String(v));

/** Tolerant: the documented `code "201"` + `payment_token`, and the seed's `code "00"` + `token`. */
export const initResponseSchema = z.object({
  code,
  message: z.string().optional().catch(undefined),
  description: z.string().optional().catch(undefined),
  data: z
    .object({
      payment_token: z.string().min(1).optional(),
      token: z.string().min(1).optional(),
      payment_url: z.url(),
    })
    .nullish()
    .catch(null),
});

export const checkRequestSchema = z.strictObject({
  apikey: z.string().min(1),
  site_id: z.string().regex(/^\d+$/),
  transaction_id: z.string().min(1),
});

/**
 * Tolerant: v2's `data.status` / `data.amount` (strings), and the v1-style `cpm_trans_status` /
 * `cpm_amount` / `cpm_currency` of the seeds. `payment_date` is " " (one space) when refused.
 */
export const checkResponseSchema = z.object({
  code,
  message: z.string().optional().catch(undefined),
  description: z.string().optional().catch(undefined),
  data: z
    .object({
      status: z.string().optional().catch(undefined),
      cpm_trans_status: z.string().optional().catch(undefined),
      amount: looseText.optional().catch(undefined),
      cpm_amount: looseText.optional().catch(undefined),
      currency: z.string().optional().catch(undefined),
      cpm_currency: z.string().optional().catch(undefined),
      payment_method: z.string().nullish().catch(null),
      operator_id: looseText.nullish().catch(null),
      payment_date: z.string().nullish().catch(null),
      fund_availability_date: z.string().nullish().catch(null),
    })
    .nullish()
    .catch(null),
});
export type CheckResponse = z.infer<typeof checkResponseSchema>;

/** The notification form: nothing is trusted, every field may be missing. */
export const notificationFormSchema = z.object({
  cpm_site_id: z.string().optional(),
  cpm_trans_id: z.string().trim().min(1),
  cpm_amount: z.string().optional(),
  cpm_currency: z.string().optional(),
  cpm_error_message: z.string().optional(),
});
