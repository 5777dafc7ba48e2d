import { randomInt } from "node:crypto";
import type { Delivery } from "../deliver";
import { inBackground, sendNotifications } from "../deliver";
import type { Faults } from "../faults";
import type { SandboxDeps } from "../types";
import type { OmStatus, OmTransaction } from "./store";

/** Orange transaction ids look like "MP150709.1341.A00073": date, time, a letter and a counter. */
export function newTxnId(now: Date): string {
  const iso = now.toISOString();
  const letter = String.fromCharCode(65 + randomInt(26));
  return `MP${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}.${iso.slice(11, 13)}${iso.slice(14, 16)}.${letter}${String(randomInt(100_000)).padStart(5, "0")}`;
}

/**
 * OM's notification carries no amount, so the tamperAmount fault cannot change one. It makes the
 * notification lie about the outcome instead (SUCCESS for a FAILED payment and vice versa), still
 * with the right notif_token: only transactionstatus tells the truth.
 */
function claimedStatus(status: OmStatus, faults: Faults): OmStatus {
  if (!faults.tamperAmount) return status;
  return status === "SUCCESS" ? "FAILED" : "SUCCESS";
}

export function notificationFor(txn: OmTransaction, status: "SUCCESS" | "FAILED", txnid: string, faults: Faults): Delivery {
  return {
    url: txn.request.notif_url,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ status: claimedStatus(status, faults), notif_token: txn.state.notifToken, txnid }),
  };
}

/** Sent after the shopper's redirect, never held by it; Orange does not retry a failed delivery. */
export function notifyInBackground(deps: SandboxDeps, txn: OmTransaction, status: "SUCCESS" | "FAILED", txnid: string, faults: Faults): void {
  inBackground(sendNotifications(deps, txn.id, [notificationFor(txn, status, txnid, faults)], faults), `orange-money notification ${txn.merchantReference}`);
}
