import { describe, expect, it } from "vitest";
import { amountProblem, checkoutCountries, paymentOptions } from "./routing";

const ALL = (["cinetpay", "orange-money", "kkiapay", "ipay"] as const).map((provider) => ({ provider, enabled: true }));
const ids = (options: { id: string }[]) => options.map((o) => o.id);

describe("payment routing", () => {
  it("Côte d'Ivoire: Orange Money direct, the rest through CinetPay", () => {
    expect(ids(paymentOptions("CI", "XOF", 5000, ALL))).toEqual(["orange-money.orange_money.hosted", "cinetpay.mobile_money.hosted", "cinetpay.card.hosted"]);
  });

  it("CinetPay's operators are one choice: its page, not ours, asks which operator", () => {
    const options = paymentOptions("CI", "XOF", 5000, ALL).filter((o) => o.provider === "cinetpay");
    expect(options.map((o) => o.method)).toEqual(["mobile_money", "card"]);
    expect(options[0]!.needs).toEqual([]);
    expect(ids(paymentOptions("SN", "XOF", 5000, ALL))).toEqual(["orange-money.orange_money.hosted", "cinetpay.mobile_money.hosted", "cinetpay.card.hosted"]);
  });

  it("falls back to the next provider when the preferred one is disabled", () => {
    const noOrange = ALL.map((a) => (a.provider === "orange-money" ? { ...a, enabled: false } : a));
    expect(ids(paymentOptions("CI", "XOF", 5000, noOrange))).toEqual(["cinetpay.mobile_money.hosted", "cinetpay.card.hosted"]);
    const onlyKkiapay = ALL.map((a) => ({ ...a, enabled: a.provider === "kkiapay" }));
    expect(ids(paymentOptions("CI", "XOF", 5000, onlyKkiapay))).toEqual(["kkiapay.mtn.hosted", "kkiapay.moov.hosted", "kkiapay.wave.hosted", "kkiapay.card.hosted"]);
  });

  it("Benin and Togo pay through KKiaPay, Mali through Orange Money, Kenya through iPay with an STK push", () => {
    expect(ids(paymentOptions("BJ", "XOF", 5000, ALL))).toEqual(["kkiapay.mtn.hosted", "kkiapay.moov.hosted", "kkiapay.celtiis.hosted", "kkiapay.card.hosted"]);
    expect(ids(paymentOptions("TG", "XOF", 5000, ALL))).toEqual(["kkiapay.moov.hosted", "kkiapay.card.hosted"]);
    expect(ids(paymentOptions("ML", "XOF", 5000, ALL))).toEqual(["orange-money.orange_money.hosted"]);
    expect(ids(paymentOptions("KE", "KES", 125000, ALL))).toEqual(["ipay.mpesa.push", "ipay.mpesa.hosted", "ipay.airtel.hosted", "ipay.card.hosted"]);
  });

  it("never offers a provider that cannot take the currency or the amount", () => {
    expect(paymentOptions("KE", "XOF", 5000, ALL)).toEqual([]);
    expect(paymentOptions("BJ", "KES", 125000, ALL)).toEqual([]);
    // 1 002 F CFA is not a multiple of 5: CinetPay drops out, direct Orange Money stays.
    expect(ids(paymentOptions("CI", "XOF", 1002, ALL))).toEqual(["orange-money.orange_money.hosted", "kkiapay.mtn.hosted", "kkiapay.moov.hosted", "kkiapay.wave.hosted", "kkiapay.card.hosted"]);
    expect(amountProblem("CI", "XOF", 1002, ALL)).toMatchObject({ ok: false });
  });

  it("lists the countries a merchant can serve in its currency", () => {
    expect(checkoutCountries("XOF", ALL)).toEqual(["CI", "SN", "BF", "ML", "BJ", "TG"]);
    expect(checkoutCountries("KES", ALL)).toEqual(["KE"]);
  });
});
