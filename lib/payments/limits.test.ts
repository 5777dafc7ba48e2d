import { describe, expect, it } from "vitest";
import { acceptsAmount, checkBounds, providersBounds } from "./limits";

describe("providers' amount limits", () => {
  it("refuse what no wallet carries in one payment, with the limit in both languages", () => {
    expect(acceptsAmount("cinetpay", 999_999_999_999, "XOF")).toMatchObject({ ok: false, code: "amount_too_high", message: { en: "The maximum amount is 1\u202f500\u202f000\u00a0F\u00a0CFA." } });
    expect(acceptsAmount("kkiapay", 10, "XOF")).toMatchObject({ ok: false, code: "amount_too_low" });
    expect(acceptsAmount("ipay", 25_000_001, "KES")).toMatchObject({ ok: false, code: "amount_too_high", message: { fr: "Le montant maximum est de 250\u202f000,00\u00a0KES." } });
    expect(acceptsAmount("orange-money", 1_500_000, "XOF")).toEqual({ ok: true });
  });

  it("apply the provider's own rules first (CinetPay's multiples of 5)", () => {
    expect(acceptsAmount("cinetpay", 1002, "XOF")).toMatchObject({ ok: false, code: "not_multiple_of_5" });
  });

  it("together span from the lowest minimum to the highest maximum of the providers taking the currency", () => {
    expect(providersBounds("XOF", ["cinetpay", "kkiapay", "ipay"])).toEqual({ minMinor: 100, maxMinor: 1_500_000 });
    expect(providersBounds("KES", ["cinetpay", "ipay"])).toEqual({ minMinor: 1_000, maxMinor: 25_000_000 });
    expect(providersBounds("KES", ["cinetpay"])).toBeNull();
    // A provider with no known ceiling for the currency leaves the top open.
    expect(providersBounds("GNF", ["cinetpay", "orange-money"])).toEqual({ minMinor: 1, maxMinor: null });
  });

  it("bounds are inclusive", () => {
    expect(checkBounds(1_000, "XOF", { minMinor: 1_000, maxMinor: 50_000 })).toEqual({ ok: true });
    expect(checkBounds(50_000, "XOF", { minMinor: 1_000, maxMinor: 50_000 })).toEqual({ ok: true });
    expect(checkBounds(999, "XOF", { minMinor: 1_000, maxMinor: null })).toMatchObject({ ok: false, code: "amount_too_low" });
  });
});
