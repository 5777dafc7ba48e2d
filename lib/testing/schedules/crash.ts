import { and, inArray, isNotNull } from "drizzle-orm";
import { decryptJson } from "@/lib/crypto";
import type { InboundRequest } from "@/lib/payments/types";
import { TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { owedByNotification } from "./provider";
import * as s from "@/db/schema";
import { CLAIM_LEASE_MS } from "@/lib/payments/reconcile";
import { refundPayment } from "@/lib/payments/refunds";
import { returnResponse, webhookResponse } from "@/lib/payments/routes";
import { reconcileOnce } from "./horizon";
import { ownerOf, paymentOf } from "./merchant";
import { onOrder, returnUrl } from "./shopper";
import { pick, type Captured, type ScheduleState } from "./state";
import type { Step } from "./steps";
import type { ScheduleWorld } from "./world";

/**
 * The process dies in the middle of some work: the work runs on a connection that refuses every
 * statement after its `after`-th (crashingDb), whatever it had not committed is rolled back, and
 * whoever was waiting gets no answer. Then reconciliation runs in a process that did not die, once
 * the dead one's claims have expired.
 */
export async function crash(world: ScheduleWorld, state: ScheduleState, step: Extract<Step, { kind: "crash" }>): Promise<boolean> {
  const { deps } = world.crashingDeps(step.after);
  const swallow = () => undefined;
  switch (step.target) {
    case "notification": {
      const c = pick(state.captured, step.pick);
      const route = c && /\/api\/webhooks\/([^/]+)\/([^/?]+)/.exec(c.url);
      if (!c || !route) return false;
      await webhookResponse(deps, route[1]!, route[2]!, new Request(c.url, { method: c.method, headers: c.headers, body: c.method === "GET" ? undefined : c.body })).catch(swallow);
      // The provider saw the connection drop: its word reached Caisse only if the delivery was recorded before the death.
      if (await recorded(world, state, c)) await owedByNotification(world, state, c);
      break;
    }
    case "return": {
      const a = onOrder(state, step.pick);
      if (!a) return false;
      const browser = a.browser ?? { url: returnUrl(world, a), method: "GET" as const };
      a.browser = undefined;
      const init = browser.form ? { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(browser.form).toString() } : { method: "GET" };
      await returnResponse(deps, a.orderId, new Request(browser.url, init)).catch(swallow);
      break;
    }
    case "sweep":
      await reconcileOnce(deps).catch(swallow);
      break;
    case "refund": {
      const row = await paymentOf(world, state, step.pick);
      if (!row) return false;
      await refundPayment(deps, { merchantId: row.merchantId, paymentId: row.id, amountMinor: row.paidAmountMinor ?? row.amountMinor, reason: "schedule", userId: ownerOf(world, row).user.id }).catch(swallow);
      break;
    }
  }
  world.clock.at += CLAIM_LEASE_MS + 1_000;
  await reconcileOnce(world.deps(), world);
  return true;
}

/** Whether Caisse kept the delivery (its stored copy is the request as received). */
async function recorded(world: ScheduleWorld, state: ScheduleState, c: Captured): Promise<boolean> {
  const ids = (await world.paymentsOf(state.orders.map((o) => o.id))).map((p) => p.id);
  if (ids.length === 0) return false;
  const rows = await world.database.db
    .select({ request: s.notifications.requestEncrypted })
    .from(s.notifications)
    .where(and(inArray(s.notifications.paymentId, ids), isNotNull(s.notifications.requestEncrypted)));
  const sameAs = (r: InboundRequest) => (c.method === "GET" ? new URL(r.url).search === new URL(c.url).search : r.body === c.body);
  return rows.some((r) => sameAs(decryptJson<InboundRequest>(r.request!, TEST_ENCRYPTION_KEY)));
}
