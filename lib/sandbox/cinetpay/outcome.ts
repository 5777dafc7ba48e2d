import { z } from "zod";
import { randomInt } from "node:crypto";
import { findSandboxAccount } from "@/lib/sandbox/accounts";
import { getAccountFaults, mergeFaults, type Faults } from "@/lib/sandbox/faults";
import { faultsFromForm } from "@/lib/sandbox/html";
import type { SandboxDeps } from "@/lib/sandbox/types";
import { CANCEL, REFUSAL_CODES, SUCCESS, WAITING } from "./answers";
import { WIRE_METHODS, type WireMethod } from "./hosted-page";
import { notify, statusNotification, type PostDelivery } from "./notifications";
import { PROVIDER, saveState, stateOf, transition, type CinetpayStatus, type Txn, type TxnState } from "./store";

const failureCode = z.enum(Object.keys(REFUSAL_CODES) as [string, ...string[]]).catch("600");

/** The hosted page's form: the tester's method, phone and outcome (or the cancel button). */
export const choiceSchema = z.discriminatedUnion("action", [
  z.object({ action: z.literal("cancel") }),
  z.object({
    action: z.literal("pay"),
    method: z.enum(Object.keys(WIRE_METHODS) as [WireMethod, ...WireMethod[]]),
    phone: z.string().optional().transform((v) => (v ?? "").replace(/[\s.-]/g, "")),
    outcome: z.enum(["accepted", "refused", "waiting"]),
    failure_code: failureCode,
  }),
]);
export type Choice = z.infer<typeof choiceSchema>;

export const confirmSchema = z.object({ decision: z.enum(["accepted", "refused"]), failure_code: failureCode });

type Final = { status: CinetpayStatus; code: string; message: string };

function finalFor(decision: "accepted" | "refused" | "cancel", code: string): Final {
  if (decision === "accepted") return { status: "ACCEPTED", ...SUCCESS };
  if (decision === "cancel") return { status: "REFUSED", ...CANCEL };
  return { status: "REFUSED", code, message: REFUSAL_CODES[code] ?? "PAYMENT_FAILED" };
}

/** Operator references look like "MP220915.2257.A76307" (Orange Money's). */
function operatorId(now: Date): string {
  const iso = now.toISOString();
  const suffix = Array.from({ length: 6 }, () => "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"[randomInt(34)]).join("");
  return `MP${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}.${iso.slice(11, 13)}${iso.slice(14, 16)}.${suffix}`;
}

async function context(deps: SandboxDeps, txn: Txn, pageFaults: Record<string, unknown>) {
  const account = await findSandboxAccount(deps, PROVIDER, txn.accountId);
  const paymentFaults = { ...txn.faults, ...pageFaults };
  const faults: Faults = mergeFaults(await getAccountFaults(deps, PROVIDER, txn.accountId), paymentFaults);
  return { secretKey: account?.credentials.secretKey ?? "", paymentFaults, faults };
}

function finalState(state: TxnState, final: Final, now: Date): TxnState {
  const rest: TxnState = { ...state };
  delete rest.deferred;
  return { ...rest, code: final.code, message: final.message, ...(final.status === "ACCEPTED" ? { paidAt: now.toISOString() } : {}) };
}

/** The tester's choice on the hosted page. Returns the transaction as it now stands (null if another submit won). */
export async function applyChoice(deps: SandboxDeps, txn: Txn, choice: Choice, form: URLSearchParams): Promise<Txn | null> {
  const now = deps.now?.() ?? new Date();
  const { secretKey, paymentFaults, faults } = await context(deps, txn, faultsFromForm(form));
  const paying = choice.action === "pay" ? choice : null;
  const common = { faults: paymentFaults, method: paying?.method ?? null, phone: paying?.phone || null };

  if (paying?.outcome === "waiting") {
    const updated = await transition(deps, txn, { ...common, status: "WAITING_FOR_CUSTOMER", state: { ...stateOf(txn), ...WAITING } });
    if (!updated) return null;
    const post = statusNotification(updated, secretKey, faults.tamperAmount ?? false);
    // Out of order: hold the "waiting" notification and send it after the final one.
    if (faults.outOfOrder) await saveState(deps, updated, { ...stateOf(updated), deferred: [post] });
    else notify(deps, updated, [post], faults);
    return updated;
  }
  const final = finalFor(paying ? (paying.outcome as "accepted" | "refused") : "cancel", paying?.failure_code ?? "600");
  return settle(deps, txn, final, now, common, secretKey, faults, []);
}

/** The shopper's answer on the phone, after WAITING_FOR_CUSTOMER. */
export async function applyConfirmation(deps: SandboxDeps, txn: Txn, decision: z.infer<typeof confirmSchema>): Promise<Txn | null> {
  const now = deps.now?.() ?? new Date();
  const { secretKey, faults } = await context(deps, txn, {});
  return settle(deps, txn, finalFor(decision.decision, decision.failure_code), now, {}, secretKey, faults, stateOf(txn).deferred ?? []);
}

async function settle(
  deps: SandboxDeps,
  txn: Txn,
  final: Final,
  now: Date,
  extra: { faults?: Record<string, unknown>; method?: string | null; phone?: string | null },
  secretKey: string,
  faults: Faults,
  held: PostDelivery[],
): Promise<Txn | null> {
  const updated = await transition(deps, txn, {
    ...extra,
    status: final.status,
    state: finalState(stateOf(txn), final, now),
    ...(final.status === "ACCEPTED" ? { providerTransactionId: operatorId(now) } : {}),
  });
  if (!updated) return null;
  notify(deps, updated, [...held, statusNotification(updated, secretKey, faults.tamperAmount ?? false)], faults);
  return updated;
}
