import { z } from "zod";

/** What a merchant stores: iPay's vendor id (lower case on the wire) and its security key. */
export const credentialsSchema = z.object({
  vendorId: z.string().regex(/^[a-z0-9]{1,12}$/, "iPay vendor ids are lower-case letters and digits, at most 12"),
  securityKey: z.string().min(1),
});
export type IpayCredentials = z.infer<typeof credentialsSchema>;

const alnum = (max: number) => z.string().regex(/^[A-Za-z0-9]*$/).max(max);
const bit = z.enum(["0", "1"]);
const wireAmount = z.string().regex(/^\d{1,13}\.\d{2}$/);
const phone = z.string().regex(/^\d{9,15}$/);

/** The order fields the hosted form and the REST initiator share (§4.1, §4.3). */
const sessionFields = {
  live: bit,
  oid: alnum(34).min(1),
  inv: alnum(15).min(1),
  tel: phone,
  eml: z.union([z.literal(""), z.email().max(30)]),
  vid: z.string().regex(/^[a-z0-9]{1,12}$/),
  curr: z.enum(["KES", "USD"]),
  p1: alnum(15),
  p2: alnum(15),
  p3: alnum(15),
  p4: alnum(15),
  cbk: z.url({ protocol: /^https?$/ }),
  cst: bit,
};

/** Strict in what we send: the §4.1 hosted form, every field a string as the browser posts it. */
export const hostedFormSchema = z
  .object({
    ...sessionFields,
    ttl: wireAmount,
    crl: z.enum(["0", "1", "2"]),
    mpesa: bit,
    bonga: bit,
    airtel: bit,
    equity: bit,
    mobilebanking: bit,
    creditcard: bit,
    unionpay: bit,
    mvisa: bit,
    vooma: bit,
    pesalink: bit,
    hsh: z.string().regex(/^[0-9a-f]{40}$/),
  })
  .strict();
export type HostedForm = z.infer<typeof hostedFormSchema>;

export const transactRequestSchema = z
  .object({
    ...sessionFields,
    amount: wireAmount,
    crl: z.literal("0"),
    autopay: bit,
    hash: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();
export type TransactRequest = z.infer<typeof transactRequestSchema>;

export const pushRequestSchema = z.object({ phone: z.string().regex(/^254[17]\d{8}$/), vid: z.string(), sid: z.string().min(1), hash: z.string() }).strict();
export const searchRequestSchema = z.object({ oid: alnum(34).min(1), vid: z.string(), hash: z.string() }).strict();
export const refundRequestSchema = z.object({ code: z.string().min(1), vid: z.string(), amount: wireAmount, hash: z.string() }).strict();

// Tolerant in what we read: numbers arrive as strings or numbers, unknown fields are ignored.
const text = z.union([z.string(), z.number()]).transform(String);
const ok = z.union([z.literal(1), z.literal("1"), z.literal(true)]);

/** Every REST answer: `header_status` mirrors HTTP, `status` 1/0; errors say why in one of three places. */
export const envelopeSchema = z.object({
  header_status: z.coerce.number().optional(),
  status: z.unknown().optional(),
  message: z.string().optional(),
  text: z.string().optional(),
  error: z.unknown().optional(),
});

export const transactResponseSchema = z.object({
  status: ok,
  data: z.object({
    sid: z.string().min(1),
    oid: text,
    amount: text,
    account: text.optional().default(""),
    payment_channels: z.array(z.object({ name: z.string(), paybill: text })).optional().default([]),
    // Some answers carry `hash: ""`: no signature, read like an absent one rather than a wrong one.
    hash: z
      .string()
      .optional()
      .transform((h) => h || undefined),
  }),
});

export const pushResponseSchema = z.object({ status: ok, text: z.string().optional() });

/**
 * The search record of a paid transaction. The seed's shape (`paid_amount`, `transaction_id`,
 * `channel`, `paid_date`) is accepted as a fallback for the documented one.
 */
export const searchDataSchema = z
  .object({
    transaction_amount: text.optional(),
    paid_amount: text.optional(),
    transaction_code: text.optional(),
    transaction_id: text.optional(),
    payment_mode: z.string().optional(),
    channel: z.string().optional(),
    currency: z.string().optional(),
    paid_at: z.string().optional(),
    paid_date: z.string().optional(),
    telephone: text.optional(),
    firstname: z.string().optional(),
    lastname: z.string().optional(),
  })
  .transform((d) => ({
    amount: d.transaction_amount ?? d.paid_amount,
    code: d.transaction_code ?? d.transaction_id,
    mode: d.payment_mode ?? d.channel,
    currency: d.currency,
    paidAt: d.paid_at ?? d.paid_date,
  }));

export const searchResponseSchema = z.object({ status: ok, data: searchDataSchema });

export const refundResponseSchema = z.object({
  status: ok,
  text: z.string().optional(),
  data: z.object({ refund_code: text.optional(), refund_id: text.optional() }).optional(),
});

/** The §4.2 callback query. Only `status` and `id` are needed to act; the rest is kept for the IPN. */
export const callbackQuerySchema = z.object({
  status: z.string().min(1),
  id: z.string().min(1),
  ivm: z.string().optional(),
  qwh: z.string().optional(),
  afd: z.string().optional(),
  poi: z.string().optional(),
  uyt: z.string().optional(),
  ifd: z.string().optional(),
  agt: z.string().optional(),
  mc: z.string().optional(),
  txncd: z.string().optional(),
  channel: z.string().optional(),
  msisdn_id: z.string().optional(),
  msisdn_idnum: z.string().optional(),
});
export type CallbackQuery = z.infer<typeof callbackQuerySchema>;

/** What we keep on the payment between calls. */
export const storedSchema = z.object({ oid: z.string().optional(), sid: z.string().optional(), flow: z.enum(["hosted", "push"]).optional() });
