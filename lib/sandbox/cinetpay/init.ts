import { z } from "zod";
import { newId, randomToken } from "@/lib/ids";
import { CURRENCIES } from "@/lib/money";
import { apiFault } from "@/lib/sandbox/faults";
import { httpUrlSchema } from "@/lib/sandbox/targets";
import type { SandboxDeps } from "@/lib/sandbox/types";
import { CREATED, answer, apiResponseId, errorAnswer } from "./answers";
import { gate } from "./gate";
import { merchantName } from "@/lib/sandbox/accounts";
import { PROVIDER, findByReference, insertTxn, type TxnState } from "./store";

const CURRENCY_CODES = ["XOF", "XAF", "CDF", "GNF", "USD"] as const;
const CHANNELS = new Set(["ALL", "MOBILE_MONEY", "CREDIT_CARD", "WALLET"]);
const CARD_FIELDS = ["customer_name", "customer_surname", "customer_email", "customer_phone_number", "customer_address", "customer_city", "customer_country", "customer_state", "customer_zip_code"] as const;

const optionalText = z.union([z.string(), z.number()]).transform(String).optional();

/** POST /v2/payment as CinetPay validates it; anything wrong is a 608 naming the field. */
const initSchema = z
  .looseObject({
    transaction_id: z.union([z.string().trim().min(1), z.number().int()]).transform(String),
    amount: z.union([z.number(), z.string().regex(/^\d+(\.\d+)?$/).transform(Number)]),
    currency: z.enum(CURRENCY_CODES),
    description: z.string().trim().min(1),
    notify_url: httpUrlSchema,
    return_url: httpUrlSchema,
    channels: z
      .string()
      .default("ALL")
      .refine((v) => v.split(",").every((c) => CHANNELS.has(c.trim())), "unknown channel"),
    lang: z.string().toLowerCase().pipe(z.enum(["fr", "en"])).optional(),
    // A string, not an object: CinetPay echoes it verbatim as cpm_custom.
    metadata: z.string().nullish(),
    lock_phone_number: z.boolean().optional(),
    invoice_data: z.record(z.string(), z.unknown()).refine((v) => Object.keys(v).length <= 3, "at most 3 keys").optional(),
    customer_name: optionalText,
    customer_surname: optionalText,
    customer_email: optionalText,
    customer_phone_number: optionalText,
    customer_address: optionalText,
    customer_city: optionalText,
    customer_country: optionalText,
    customer_state: optionalText,
    customer_zip_code: optionalText,
  })
  .superRefine((v, ctx) => {
    const fraction = !Number.isInteger(v.amount);
    if (v.amount <= 0 || (fraction && v.currency !== "USD")) ctx.addIssue({ code: "custom", path: ["amount"], message: "amount must be a positive integer" });
    else if (v.currency !== "USD" && v.amount % 5 !== 0) ctx.addIssue({ code: "custom", path: ["amount"], message: "amount must be a multiple of 5" });
    else if ((v.currency === "XOF" || v.currency === "XAF") && v.amount < 100) ctx.addIssue({ code: "custom", path: ["amount"], message: "minimum amount is 100" });
    if (v.channels.includes("CREDIT_CARD")) {
      for (const field of CARD_FIELDS) if (!v[field]?.trim()) ctx.addIssue({ code: "custom", path: [field], message: "required for CREDIT_CARD" });
    }
  });

export async function initPayment(req: Request, deps: SandboxDeps): Promise<Response> {
  const call = await gate(req, deps);
  if (call instanceof Response) return call;
  const fault = await apiFault(call.faults.init, req);
  if (fault) return fault;

  const parsed = initSchema.safeParse(call.body);
  if (!parsed.success) {
    return errorAnswer("fields", parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
  }
  const p = parsed.data;
  if (p.lock_phone_number && !/^\d{6,15}$/.test(p.customer_phone_number ?? "")) {
    return errorAnswer("lockedPhone", "lock_phone_number requires a valid customer_phone_number");
  }
  if (await findByReference(deps, call.account.publicId, p.transaction_id)) {
    return errorAnswer("duplicate", "This transaction_id has already been used");
  }

  const now = deps.now?.() ?? new Date();
  const token = randomToken(32);
  const state: TxnState = { ...CREATED, wireAmount: p.amount, signature: randomToken(8), merchantName: await merchantName(deps, call.account.merchantId) };
  const request: Record<string, unknown> = { ...p };
  delete request.apikey; // the simulator keeps no secrets in its rows
  try {
    await insertTxn(deps, {
      id: newId("sbx"),
      provider: PROVIDER,
      accountId: call.account.publicId,
      merchantReference: p.transaction_id,
      token,
      amountMinor: Math.round(p.amount * 10 ** CURRENCIES[p.currency].decimals),
      currency: p.currency,
      status: "CREATED",
      request,
      state,
    });
  } catch {
    // Two concurrent inits with the same transaction_id: the unique index decides, like CinetPay's.
    return errorAnswer("duplicate", "This transaction_id has already been used");
  }
  return answer(200, {
    code: CREATED.code,
    message: CREATED.message,
    description: "Transaction created with success",
    data: { payment_token: token, payment_url: `${deps.origin}/sandbox/cinetpay/payment/${token}` },
    api_response_id: apiResponseId(now),
  });
}
