import { describe, expect, it } from "vitest";
import { loadMessages } from "@/lib/i18n/messages";
import { CANCEL_CODE_ON_RESOLVE } from "@/lib/payments/exceptions";
import { STK_FAILURE_CODES } from "@/lib/payments/providers/ipay/status";
import { CANCEL, REFUSAL_CODES } from "@/lib/sandbox/cinetpay/answers";
import { FAILURE_CODES as KKIAPAY_FAILURES } from "@/lib/sandbox/kkiapay/schemas";
import type { ProviderId } from "@/lib/payments/types";
import { headlineOf, knownReason, OUTCOME_REASONS, outcomeReason } from "./reasons";

/**
 * Every code a provider (or its simulator) can close an attempt with has a plain sentence, in
 * both languages; none of them shows the code itself.
 */
describe("outcome reasons", () => {
  const codes: [ProviderId, string][] = [
    ...Object.keys(REFUSAL_CODES).map((c): [ProviderId, string] => ["cinetpay", c]),
    ["cinetpay", CANCEL.code],
    ...KKIAPAY_FAILURES.map((c): [ProviderId, string] => ["kkiapay", c]),
    ...STK_FAILURE_CODES.map((c): [ProviderId, string] => ["ipay", c]),
    ["orange-money", "FAILED"],
    ...Object.values(CANCEL_CODE_ON_RESOLVE).map((c): [ProviderId, string] => ["ipay", c]),
    ["orange-money", "cancelled_by_shopper"],
  ];

  it.each(codes)("%s %s has a reason of its own", (provider, code) => {
    expect(knownReason(provider, code)).toBeDefined();
  });

  it("says refused when a provider refused, and 'you cancelled' only for the shopper's own cancel", () => {
    expect(outcomeReason({ provider: "cinetpay", status: "failed", failureCode: "602" })).toBe("insufficient_funds");
    expect(headlineOf(outcomeReason({ provider: "cinetpay", status: "failed", failureCode: "602" })!)).toBe("refused");
    // CinetPay's REFUSED + 627 is stored as cancelled; CinetPay documents 627 as "Transaction failed".
    expect(outcomeReason({ provider: "cinetpay", status: "cancelled", failureCode: "627" })).toBe("not_completed");
    expect(outcomeReason({ provider: "orange-money", status: "cancelled", failureCode: "cancelled_by_shopper" })).toBe("you_cancelled");
    expect(headlineOf("you_cancelled")).toBe("cancelled");
    expect(outcomeReason({ provider: "kkiapay", status: "failed", failureCode: null })).toBe("refused");
    expect(outcomeReason({ provider: "ipay", status: "cancelled", failureCode: "something new" })).toBe("not_completed");
    expect(outcomeReason({ provider: "ipay", status: "expired", failureCode: null })).toBe("expired");
    expect(outcomeReason({ provider: "ipay", status: "paid", failureCode: null })).toBeNull();
    expect(outcomeReason({ provider: "ipay", status: "waiting_for_customer", failureCode: null })).toBeNull();
  });

  it("a code is read in its provider's vocabulary: CinetPay's 602 is not another provider's", () => {
    expect(knownReason("cinetpay", "602")).toBe("insufficient_funds");
    expect(knownReason("kkiapay", "602")).toBeUndefined();
  });

  it.each(["fr", "en"] as const)("every reason and headline has a %s sentence without a raw code", async (locale) => {
    const order = (await loadMessages(locale)).order as { reasons: Record<string, string>; outcome: Record<string, string> };
    for (const reason of OUTCOME_REASONS) {
      expect(order.reasons[reason], reason).toMatch(/\S/);
      expect(order.reasons[reason], reason).not.toMatch(/\{|\d{3}/);
      expect(order.outcome[headlineOf(reason)], reason).toMatch(/\S/);
    }
    expect(Object.keys(order.reasons).sort()).toEqual([...OUTCOME_REASONS].sort());
  });
});
