import { getCountryCallingCode, type CountryCode } from "libphonenumber-js/max";
import { NOTIFICATION_FIELDS, xToken } from "@/lib/payments/providers/cinetpay/signature";
import { inBackground, sendNotifications, type Delivery } from "@/lib/sandbox/deliver";
import type { Faults } from "@/lib/sandbox/faults";
import type { SandboxDeps } from "@/lib/sandbox/types";
import { cinetpayDate } from "./answers";
import { stateOf, type Txn } from "./store";

export type PostDelivery = Delivery & { method: "POST"; headers: Record<string, string>; body: string };

function callingCode(country: unknown): string {
  try {
    return getCountryCallingCode(String(country || "CI").toUpperCase() as CountryCode);
  } catch {
    return "225";
  }
}

/**
 * One notification for the transaction's current status: the 16 form fields posted in the HMAC
 * order (merchants' PHP does implode('', $_POST)) and x-token signed with the Secret Key.
 * tamperAmount changes cpm_amount but still signs it, as a compromised relay would.
 */
export function statusNotification(txn: Txn, secretKey: string, tamperAmount: boolean): PostDelivery {
  const state = stateOf(txn);
  const amount = tamperAmount ? Math.max(5, Math.floor(state.wireAmount / 10)) : state.wireAmount;
  const values: Record<(typeof NOTIFICATION_FIELDS)[number], string> = {
    cpm_site_id: txn.accountId,
    cpm_trans_id: txn.merchantReference,
    cpm_trans_date: cinetpayDate(txn.createdAt),
    cpm_amount: String(amount),
    cpm_currency: txn.currency,
    signature: state.signature,
    payment_method: txn.method ?? "",
    cel_phone_num: txn.phone ?? "",
    cpm_phone_prefixe: callingCode(txn.request.customer_country),
    cpm_language: String(txn.request.lang ?? "fr"),
    cpm_version: "V4",
    cpm_payment_config: "Single",
    cpm_page_action: "PAYMENT",
    cpm_custom: typeof txn.request.metadata === "string" ? txn.request.metadata : "",
    cpm_designation: String(txn.request.description ?? ""),
    cpm_error_message: state.message,
  };
  const body = new URLSearchParams(NOTIFICATION_FIELDS.map((name) => [name, values[name]])).toString();
  return {
    url: String(txn.request.notify_url),
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-token": xToken(secretKey, values) },
    body,
  };
}

/**
 * One transaction's deliveries leave one batch after the other, so a final notification never
 * overtakes the WAITING_FOR_CUSTOMER one unless the outOfOrder fault says so. Only in-flight
 * work lives here; the transaction's state stays in sandbox_transactions.
 */
const inFlight = new Map<string, Promise<unknown>>();

function inOrder(txnId: string, work: () => Promise<unknown>): Promise<unknown> {
  const next = (inFlight.get(txnId) ?? Promise.resolve()).catch(() => undefined).then(work);
  inFlight.set(txnId, next);
  const forget = () => {
    if (inFlight.get(txnId) === next) inFlight.delete(txnId);
  };
  next.then(forget, forget);
  return next;
}

/**
 * Sends after the shopper's page has answered. CinetPay pings notify_url with a bodiless GET
 * before posting; the ping goes first even when the posts arrive out of order or twice.
 */
export function notify(deps: SandboxDeps, txn: Txn, posts: PostDelivery[], faults: Faults): void {
  if (posts.length === 0) return;
  const ping: Delivery = { url: String(txn.request.notify_url), method: "GET" };
  const work = inOrder(txn.id, async () => {
    if (faults.dropNotification) return sendNotifications(deps, txn.id, [ping, ...posts], faults);
    await sendNotifications(deps, txn.id, [ping], { notificationDelaySeconds: faults.notificationDelaySeconds });
    await sendNotifications(deps, txn.id, posts, { ...faults, notificationDelaySeconds: 0 });
  });
  inBackground(work, `cinetpay notifications for ${txn.merchantReference}`);
}
