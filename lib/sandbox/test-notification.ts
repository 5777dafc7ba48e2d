import { randomBytes } from "node:crypto";
import { NOTIFICATION_FIELDS, xToken } from "@/lib/payments/providers/cinetpay/signature";
import type { ProviderId } from "@/lib/payments/types";
import type { SandboxAccount } from "./accounts";
import { cinetpayDate } from "./cinetpay/answers";
import { sendOnce, type Delivery } from "./deliver";
import { IPN_CODES } from "./ipay/codes";
import { newTxnId } from "./orange-money/notifications";
import { REFUSED_TARGET, followable, targetsOf } from "./targets";
import type { SandboxDeps } from "./types";

/**
 * The "send a test notification" button of a provider's dashboard, played by the simulator: one
 * delivery to the merchant's notification URL, shaped and authenticated as the provider's own
 * (CinetPay's 16 fields and x-token, KKiaPay's JSON and x-kkiapay-secret, Orange's
 * {status, notif_token, txnid}, iPay's callback GET), about a transaction that exists nowhere.
 * The receiver finds no payment for it; what it proves is that the URL reaches the app.
 */
const TEST_NOTIFICATIONS: Record<ProviderId, (account: SandboxAccount, url: string, now: Date, reference: string) => Delivery> = {
  cinetpay(account, url, now, reference) {
    const values: Record<(typeof NOTIFICATION_FIELDS)[number], string> = {
      cpm_site_id: account.publicId,
      cpm_trans_id: reference,
      cpm_trans_date: cinetpayDate(now),
      cpm_amount: "100",
      cpm_currency: "XOF",
      signature: randomBytes(16).toString("hex"),
      payment_method: "OM",
      cel_phone_num: "",
      cpm_phone_prefixe: "225",
      cpm_language: "fr",
      cpm_version: "V4",
      cpm_payment_config: "Single",
      cpm_page_action: "PAYMENT",
      cpm_custom: "",
      cpm_designation: "Test",
      cpm_error_message: "SUCCES",
    };
    const body = new URLSearchParams(NOTIFICATION_FIELDS.map((name) => [name, values[name]])).toString();
    return { url, method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "x-token": xToken(account.credentials.secretKey ?? "", values) }, body };
  },
  "orange-money": (_account, url, now) => ({
    url,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ status: "SUCCESS", notif_token: randomBytes(16).toString("hex"), txnid: newTxnId(now) }),
  }),
  kkiapay: (account, url, now, reference) => ({
    url,
    method: "POST",
    headers: { "content-type": "application/json", "x-kkiapay-secret": account.credentials.secretKey ?? "" },
    body: JSON.stringify({
      transactionId: reference.toLowerCase(),
      isPaymentSucces: true,
      event: "transaction.success",
      account: "",
      label: "Test",
      method: "MOBILE_MONEY",
      amount: 100,
      fees: 0,
      partnerId: "",
      performedAt: now.toISOString(),
      stateData: null,
    }),
  }),
  ipay(_account, url, _now, reference) {
    const target = new URL(url);
    for (const [k, v] of Object.entries({ status: IPN_CODES.paid, txncd: "", id: reference, ivm: reference, mc: "0.00", channel: "MPESA" })) target.searchParams.set(k, v);
    return { url: target.toString(), method: "GET" };
  },
};

export type TestDeliveryResult = { status: number | null; error: string | null };

/** Sends one test notification for `account` to `url`, where the simulators may send one (targets.ts). */
export async function sendTestNotification(deps: SandboxDeps, provider: ProviderId, account: SandboxAccount, url: string): Promise<TestDeliveryResult> {
  const reference = `CAISSETEST${randomBytes(6).toString("hex").toUpperCase()}`;
  const delivery = TEST_NOTIFICATIONS[provider](account, url, deps.now?.() ?? new Date(), reference);
  const target = followable(delivery.url, targetsOf(deps));
  return target ? sendOnce(deps, target, delivery) : { status: null, error: REFUSED_TARGET };
}
