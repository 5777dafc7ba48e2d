import { describe, expect, it } from "vitest";
import { moneyDisagreement, moneyStated, storableMinor } from "./money-check";
import type { StatusResult } from "./types";

const ours = { amountMinor: 5_000, currency: "XOF" };
const paid = (fields: Partial<StatusResult>): StatusResult => ({ status: "paid", providerStatus: "SUCCESS", trace: {}, ...fields });

/** Issue 12 item 8: a "paid" answer that omits or garbles the amount or currency is a mismatch, never paid. */
describe("moneyDisagreement", () => {
  it("accepts the exact amount in our currency", () => {
    expect(moneyDisagreement(ours, paid({ amountMinor: 5_000, currency: "XOF" }))).toBeNull();
    expect(moneyDisagreement(ours, paid({ paidAmountMinor: 5_000, currency: "xof" }))).toBeNull();
  });

  it("flags a missing or different currency", () => {
    expect(moneyDisagreement(ours, paid({ amountMinor: 5_000 }))).toBe("currency_mismatch");
    expect(moneyDisagreement(ours, paid({ amountMinor: 5_000, currency: "XAF" }))).toBe("currency_mismatch");
  });

  it("flags a missing, fractional or different amount", () => {
    expect(moneyDisagreement(ours, paid({ currency: "XOF" }))).toBe("amount_mismatch");
    expect(moneyDisagreement(ours, paid({ amountMinor: 5_000.5, currency: "XOF" }))).toBe("amount_mismatch");
    expect(moneyDisagreement(ours, paid({ amountMinor: 4_995, currency: "XOF" }))).toBe("amount_mismatch");
    expect(moneyDisagreement(ours, paid({ amountMinor: Number.NaN, currency: "XOF" }))).toBe("amount_mismatch");
    expect(moneyDisagreement(ours, paid({ paidAmountMinor: 1.5, currency: "XOF" }))).toBe("amount_mismatch");
  });

  it("tells an underpayment apart; an overpayment is the caller's flag", () => {
    expect(moneyDisagreement(ours, paid({ paidAmountMinor: 4_000, currency: "XOF" }))).toBe("underpaid");
    expect(moneyDisagreement(ours, paid({ paidAmountMinor: 6_000, currency: "XOF" }))).toBeNull();
  });
});

describe("moneyStated", () => {
  it("is an answer with a currency and an amount, stated or received, whatever they are", () => {
    expect(moneyStated(paid({ amountMinor: 1, currency: "XOF" }))).toBe(true);
    expect(moneyStated(paid({ paidAmountMinor: 5_000, currency: "KES" }))).toBe(true);
    expect(moneyStated(paid({ currency: "XOF" }))).toBe(false);
    expect(moneyStated(paid({ amountMinor: 5_000 }))).toBe(false);
  });
});

describe("storableMinor", () => {
  it("keeps whole figures, rounds fractional ones half up, drops the unreadable", () => {
    expect(storableMinor(28)).toEqual({ value: 28, adjusted: false });
    expect(storableMinor(28.5)).toEqual({ value: 29, adjusted: true });
    expect(storableMinor(28.4)).toEqual({ value: 28, adjusted: true });
    expect(storableMinor(-1)).toEqual({ value: undefined, adjusted: true });
    expect(storableMinor(undefined)).toEqual({ value: undefined, adjusted: false });
  });
});
