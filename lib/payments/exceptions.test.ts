import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { loadMessages } from "@/lib/i18n/messages";
import { formatMoney } from "@/lib/money";
import { offersFor, reasonFor, receivedOf, type ExceptionFacts } from "./exceptions";

const base: ExceptionFacts = {
  flag: "double_payment",
  status: "paid",
  provider: "kkiapay",
  amountMinor: 5000,
  currency: "XOF",
  paidAmountMinor: null,
  providerReference: "tx_1",
  refundedMinor: 0,
  refundCount: 0,
  hasAccount: true,
  flagData: null,
};
const facts = (over: Partial<ExceptionFacts>): ExceptionFacts => ({ ...base, ...over });

describe("what can be done about each exception", () => {
  it("double payment at KKiaPay: a full refund by API, a manual record, or resolve", () => {
    expect(offersFor(base)).toEqual([
      { action: "refund", amountMinor: 5000 },
      { action: "record_refund", amountMinor: 5000, books: true },
      { action: "resolve", cancels: false },
    ]);
  });

  it("KKiaPay refunds whole transactions only: once part is refunded, only a manual record remains", () => {
    expect(offersFor(facts({ status: "partially_refunded", refundedMinor: 1000, refundCount: 1 })).map((o) => o.action)).toEqual(["record_refund", "resolve"]);
    expect(offersFor(facts({ status: "partially_refunded", refundedMinor: 1000, refundCount: 1 }))[0]).toMatchObject({ amountMinor: 4000 });
  });

  it("no refund API (CinetPay), no account, or no transaction id: manual record only", () => {
    for (const over of [{ provider: "cinetpay" as const }, { hasAccount: false }, { providerReference: null }]) {
      expect(offersFor(facts(over)).map((o) => o.action)).toEqual(["record_refund", "resolve"]);
    }
  });

  it("overpaid at iPay: the excess, partially, by API", () => {
    const ipay = facts({ flag: "overpaid", provider: "ipay", currency: "KES", amountMinor: 100_000, paidAmountMinor: 135_000 });
    expect(offersFor(ipay)).toEqual([
      { action: "refund", amountMinor: 35_000 },
      { action: "record_refund", amountMinor: 35_000, books: true },
      { action: "resolve", cancels: false },
    ]);
    expect(offersFor({ ...ipay, status: "refunded", refundedMinor: 135_000, refundCount: 1 })).toEqual([{ action: "resolve", cancels: false }]);
  });

  it("underpaid: accept what was received (read from the flag event when the row lacks it), or resolve, which cancels the attempt", () => {
    const underpaid = facts({ flag: "underpaid", status: "pending", provider: "ipay", currency: "KES", amountMinor: 100_000 });
    expect(offersFor(underpaid)).toEqual([{ action: "resolve", cancels: true }]);
    const fromEvent = { ...underpaid, flagData: { flag: "underpaid", provider: { amount: 62_500, currency: "KES" } } };
    expect(receivedOf(fromEvent)).toEqual({ amountMinor: 62_500, currency: "KES" });
    expect(offersFor(fromEvent)).toEqual([
      { action: "accept", amountMinor: 62_500 },
      { action: "resolve", cancels: true },
    ]);
    expect(offersFor({ ...underpaid, paidAmountMinor: 70_000 })[0]).toEqual({ action: "accept", amountMinor: 70_000 });
    // Decided meanwhile: nothing left to accept or cancel.
    expect(offersFor({ ...underpaid, paidAmountMinor: 70_000, status: "expired" })).toEqual([{ action: "resolve", cancels: false }]);
  });

  it("amount and currency mismatches are resolved on a person's word only", () => {
    for (const flag of ["amount_mismatch", "currency_mismatch"]) {
      expect(offersFor(facts({ flag, status: "pending" }))).toEqual([{ action: "resolve", cancels: true }]);
    }
  });

  it("paid after final: the money is outside our books, so a manual record of it, or resolve", () => {
    expect(offersFor(facts({ flag: "paid_after_final", status: "cancelled" }))).toEqual([
      { action: "record_refund", amountMinor: 5000, books: false },
      { action: "resolve", cancels: false },
    ]);
  });

  it("shared transaction: its provider id moved to the ledger, so no API refund", () => {
    expect(offersFor(facts({ flag: "shared_transaction", providerReference: null })).map((o) => o.action)).toEqual(["record_refund", "resolve"]);
  });
});

describe("the reason in plain words", () => {
  const cases: [string, Partial<ExceptionFacts>, { fr: string; en: string }][] = [
    ["double_payment", {}, { fr: "Le client a payé deux fois cette commande : remboursez ce second paiement de 5 000", en: "The customer paid this order twice: refund this second payment of" }],
    ["double_payment_unsettled", { status: "pending" }, { fr: "a encaissé ce second paiement", en: "collected this second payment" }],
    ["overpaid", { flag: "overpaid", paidAmountMinor: 6500 }, { fr: "remboursez l’excédent de 1 500", en: "refund the excess of" }],
    ["underpaid", { flag: "underpaid", status: "pending", paidAmountMinor: 3000 }, { fr: "il manque 2 000", en: "missing" }],
    ["underpaid_unknown", { flag: "underpaid", status: "pending" }, { fr: "moins que les 5 000", en: "less than the" }],
    ["amount_mismatch", { flag: "amount_mismatch", status: "pending", flagData: { provider: { amount: 500 } } }, { fr: "un paiement de 500", en: "a payment of" }],
    ["amount_mismatch_unknown", { flag: "amount_mismatch", status: "pending" }, { fr: "un autre montant", en: "another amount" }],
    ["currency_mismatch", { flag: "currency_mismatch", status: "pending", flagData: { provider: { currency: "EUR" } } }, { fr: "en EUR", en: "in EUR" }],
    ["paid_after_final", { flag: "paid_after_final", status: "expired" }, { fr: "après la clôture", en: "after this payment was closed" }],
    ["shared_transaction", { flag: "shared_transaction" }, { fr: "déjà validé un autre", en: "already confirmed another" }],
    ["unknown", { flag: "something_new" }, { fr: "(something_new)", en: "(something_new)" }],
  ];

  it.each(cases)("%s, in French and English, with the amounts", async (key, over, expected) => {
    const f = facts(over);
    const reason = reasonFor(f);
    expect(reason.key).toBe(key);
    for (const locale of ["fr", "en"] as const) {
      const t = createTranslator({ locale, messages: (await loadMessages(locale)) as never, namespace: "exceptions" as never }) as unknown as (key: string, values?: Record<string, string>) => string;
      const money = (amount: number | null, currency: string) => (amount === null ? "?" : formatMoney(amount, currency, locale));
      const text = t(`reason.${reason.key}`, {
        amount: money(reason.amounts.amount, reason.currency),
        received: money(reason.amounts.received, reason.receivedCurrency),
        difference: money(reason.amounts.difference, reason.currency),
        receivedCurrency: reason.receivedCurrency,
        provider: "KKiaPay",
        status: "x",
        flag: f.flag,
      });
      expect(text.replace(/\s/g, " ")).toContain(expected[locale].replace(/\s/g, " "));
      expect(text).toContain(money(reason.amounts.amount, reason.currency));
      expect(t(`advice.${reason.adviceKey}`, { provider: "KKiaPay", providerReference: "tx_1" }).length).toBeGreaterThan(20);
      expect(t(`flag.${reason.adviceKey}`).length).toBeGreaterThan(3);
    }
  });
});
