import { findSandboxAccount } from "@/lib/sandbox/accounts";
import { inBackground, sendNotifications, type RetryPolicy } from "@/lib/sandbox/deliver";
import { getAccountFaults, getAccountSettings, mergeFaults, type Faults } from "@/lib/sandbox/faults";
import { targetsOf } from "@/lib/sandbox/targets";
import type { SandboxDeps } from "@/lib/sandbox/types";
import { merchantOf, stateOf, type KkiapayTransaction } from "./store";

/** KKiaPay: "5 retries in a row, 500 ms incremental interval" on any non-2xx (3xx included). */
export const KKIAPAY_RETRY_POLICY: RetryPolicy = { retryDelaysMs: [500, 1000, 1500, 2000, 2500] };

/**
 * The webhook body of §3.3. `isPaymentSucces` is misspelt by KKiaPay itself. With the
 * tamperAmount fault the amount is wrong but the secret header is still right, which is why
 * receivers must re-verify through the status API.
 */
export function webhookBody(txn: KkiapayTransaction, tamper: boolean): Record<string, unknown> {
  const state = stateOf(txn);
  const success = txn.status === "SUCCESS";
  const amount = tamper ? tamperedAmount(txn.amountMinor) : txn.amountMinor;
  return {
    transactionId: txn.token,
    isPaymentSucces: success,
    event: success ? "transaction.success" : "transaction.failed",
    account: txn.phone ?? "",
    label: String((txn.request as { reason?: string }).reason ?? ""),
    method: state.source ?? "MOBILE_MONEY",
    amount,
    fees: txn.feeMinor ?? 0,
    partnerId: state.partnerId ?? "",
    performedAt: state.performedAt,
    stateData: state.stateData ?? null,
    ...(success ? {} : { failureCode: state.failureCode ?? "processing_error", failureMessage: state.failureMessage ?? "" }),
  };
}

function tamperedAmount(amount: number): number {
  const half = Math.floor(amount / 2);
  return half > 0 && half !== amount ? half : amount + 1;
}

/** The dashboard's webhook URL, or Caisse's own route for the merchant when none was set. */
async function webhookUrl(deps: SandboxDeps, accountId: string): Promise<string | null> {
  const settings = await getAccountSettings(deps, "kkiapay", accountId);
  if (typeof settings.webhookUrl === "string" && settings.webhookUrl) return settings.webhookUrl;
  const account = await findSandboxAccount(deps, "kkiapay", accountId);
  const slug = account ? (await merchantOf(deps, account.merchantId))?.slug : null;
  return slug ? `${targetsOf(deps).appOrigin}/api/webhooks/kkiapay/${slug}` : null;
}

/**
 * Webhooks still being sent (with their retries). Lets a caller that owns the database, such as
 * a test or a graceful shutdown, wait for them before closing it.
 */
const inFlight = new Set<Promise<void>>();

export async function webhooksSettled(): Promise<void> {
  await Promise.allSettled([...inFlight]);
}

/**
 * Sends the final-state webhook in the background so the widget answers at once. KKiaPay sends
 * one webhook per transaction (success or failure; nothing for pending or aborted), so the
 * outOfOrder fault has a single delivery to reorder and changes nothing observable.
 */
export async function notifyFinal(deps: SandboxDeps, txn: KkiapayTransaction): Promise<void> {
  const account = await findSandboxAccount(deps, "kkiapay", txn.accountId);
  const url = await webhookUrl(deps, txn.accountId);
  if (!account || !url) return;
  const faults: Faults = mergeFaults(await getAccountFaults(deps, "kkiapay", txn.accountId), txn.faults);
  const body = JSON.stringify(webhookBody(txn, Boolean(faults.tamperAmount)));
  const headers = { "content-type": "application/json", "x-kkiapay-secret": account.credentials.secretKey ?? "" };
  const sending = sendNotifications(deps, txn.id, [{ url, method: "POST", headers, body }], faults, KKIAPAY_RETRY_POLICY);
  inFlight.add(sending);
  const done = () => void inFlight.delete(sending);
  sending.then(done, done);
  inBackground(sending, `kkiapay webhook ${txn.token}`);
}
