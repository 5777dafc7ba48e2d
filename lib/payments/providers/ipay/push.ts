import { msisdn } from "@/lib/phone";
import type { InitializeInput, InitializeResult, ProviderContext } from "@/lib/payments/types";
import { toWireAmount } from "./amounts";
import { combinedTrace, post } from "./client";
import { ipayError, rejected, unexpectedAnswer } from "./errors";
import { orderFields } from "./fields";
import { pushRequestSchema, pushResponseSchema, transactRequestSchema, transactResponseSchema, type IpayCredentials } from "./schemas";
import { hashEquals, pushHash, transactHash, transactResponseHash } from "./signature";

/** How long we give the shopper to answer the prompt before reconciliation may expire it. */
const PUSH_WINDOW_MS = 5 * 60_000;

/**
 * M-Pesa STK push: /transact opens a session (sid), /transact/push/mpesa rings the phone. iPay
 * then calls cbk (our webhook) server to server once the shopper answers.
 */
export async function stkPush(input: InitializeInput, ctx: ProviderContext<IpayCredentials>): Promise<InitializeResult> {
  const phone = input.customer.phone ? msisdn(input.customer.phone) : "";
  if (!/^254[17]\d{8}$/.test(phone)) {
    throw rejected("invalid_phone", { fr: "Saisissez un numéro M-Pesa kényan (07… ou +254…).", en: "Enter a Kenyan M-Pesa number (07… or +254…)." });
  }
  const { vendorId: vid, securityKey: key } = ctx.credentials;
  const fields = { ...orderFields(input, ctx), tel: phone, amount: toWireAmount(input.amountMinor), cbk: input.urls.notify };
  const transactBody = transactRequestSchema.parse({ ...fields, crl: "0", autopay: "1", hash: transactHash(fields, key) });
  const opened = await post(ctx, "/transact", transactBody);
  if (opened.status !== 200) throw ipayError(opened.status, opened.json, opened.trace);
  const session = transactResponseSchema.safeParse(opened.json);
  if (!session.success) throw unexpectedAnswer("unreadable /transact answer", opened.trace);
  const data = session.data.data;
  // iPay signs this answer; a mismatch means someone else answered.
  if (data.hash !== undefined && !hashEquals(data.hash, transactResponseHash(data, key))) throw unexpectedAnswer("wrong /transact response hash", opened.trace);

  const pushBody = pushRequestSchema.parse({ phone, vid, sid: data.sid, hash: pushHash({ phone, vid, sid: data.sid }, key) });
  const pushed = await post(ctx, "/transact/push/mpesa", pushBody);
  if (pushed.status !== 200) throw ipayError(pushed.status, pushed.json, pushed.trace);
  const answer = pushResponseSchema.safeParse(pushed.json);
  if (!answer.success) throw unexpectedAnswer("unreadable STK push answer", pushed.trace);

  return {
    action: { type: "approve_on_phone", phone: input.customer.phone ?? `+${phone}`, message: answer.data.text },
    providerToken: data.sid,
    stored: { oid: input.reference, sid: data.sid, flow: "push" },
    expiresAt: new Date(Date.now() + PUSH_WINDOW_MS),
    status: "waiting_for_customer",
    trace: combinedTrace({ transact: opened.trace, push: pushed.trace }),
  };
}
