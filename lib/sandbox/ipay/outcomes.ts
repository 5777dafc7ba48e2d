import type { SandboxDeps } from "../types";
import { CHANNELS, IPN_CODES, STK_FAILURES, type Channel, type HostedOutcome, type StkFailure } from "./codes";
import { newCallbackIds, newTransactionCode, updateSession, type Session } from "./store";

export type Payer = { name: string; phone: string; channel: Channel };

/** How much "less" and "more" move the money: half the price, or KES/USD 100 on top. */
export function paidAmount(outcome: HostedOutcome, amountMinor: number): number {
  switch (outcome) {
    case "paid":
      return amountMinor;
    case "less":
      // Whole shillings, like a customer who sent a rounded M-Pesa amount.
      return Math.max(100, Math.floor(amountMinor / 200) * 100);
    case "more":
      return amountMinor + 10_000;
    default:
      return 0;
  }
}

function splitName(name: string): { firstname: string; lastname: string } {
  const [first = "", ...rest] = name.trim().toUpperCase().split(/\s+/);
  return { firstname: first, lastname: rest.join(" ") };
}

/** Records what the shopper did; null when someone else settled the session first. */
export async function settle(deps: SandboxDeps, session: Session, outcome: HostedOutcome, payer: Payer, faults: Record<string, unknown> = session.faults): Promise<Session | null> {
  const paidMinor = paidAmount(outcome, session.amountMinor);
  const now = (deps.now?.() ?? new Date()).toISOString();
  return updateSession(deps, session, {
    status: outcome,
    providerTransactionId: paidMinor > 0 ? newTransactionCode() : null,
    method: payer.channel,
    faults,
    state: {
      ...session.state,
      ipnCode: IPN_CODES[outcome],
      paidMinor,
      channel: CHANNELS[payer.channel].wire,
      payer: { ...splitName(payer.name), phone: payer.phone },
      ids: newCallbackIds(),
      paidAt: paidMinor > 0 ? now : undefined,
    },
  });
}

/** An STK push that ended without money; iPay reports it as "failed" with M-Pesa's message. */
export async function failPush(deps: SandboxDeps, session: Session, failure: StkFailure, faults: Record<string, unknown> = session.faults): Promise<Session | null> {
  return updateSession(deps, session, {
    status: failure,
    faults,
    state: {
      ...session.state,
      ipnCode: IPN_CODES.failed,
      paidMinor: 0,
      channel: CHANNELS.mpesa.wire,
      payer: { firstname: "", lastname: "", phone: session.state.push?.phone ?? session.request.tel },
      ids: newCallbackIds(),
      failureMessage: STK_FAILURES[failure],
    },
  });
}
