import { describe, expect, it } from "vitest";
import { formatMoney } from "@/lib/money";
import { invitationMail, passwordResetMail, paymentReceivedMail, receiptMail, type PaidOrder } from "./templates";

const order: PaidOrder = {
  storeName: "Chez <Awa> & fils",
  timeZone: "Africa/Nairobi",
  reference: "261207-ABC123",
  customerName: "Aminata Traoré",
  currency: "XOF",
  amountMinor: 12_500,
  paidAt: new Date("2026-12-07T15:47:00Z"),
  items: [{ name: "Pagne wax", quantity: 2, totalMinor: 12_500 }],
  orderUrl: "https://caisse.example/orders/ord_1",
  dashboardUrl: "https://caisse.example/dashboard/orders/ord_1",
};

describe("e-mail templates", () => {
  it("write the receipt in the store's language, amounts as people write them, time in the store's zone", () => {
    const fr = receiptMail("fr", order);
    expect(fr.subject).toBe("Votre reçu de Chez <Awa> & fils : commande 261207-ABC123");
    expect(fr.text).toContain(formatMoney(12_500, "XOF", "fr"));
    expect(fr.text).toContain("7 déc. 2026, 18:47 (UTC+3)");
    const en = receiptMail("en", order);
    expect(en.text).toContain("7 Dec 2026, 18:47 (UTC+3)");
    expect(en.text).toContain("https://caisse.example/orders/ord_1");
  });

  it("escape what people typed in the HTML version, and keep links clickable", () => {
    const html = receiptMail("fr", order).html;
    expect(html).toContain("Chez &lt;Awa&gt; &amp; fils");
    expect(html).not.toContain("<Awa>");
    expect(html).toContain('<a href="https://caisse.example/orders/ord_1"');
  });

  it("have both languages for every message", () => {
    for (const locale of ["fr", "en"] as const) {
      const all = [
        passwordResetMail(locale, { name: "Awa", url: "https://caisse.example/reset-password/t" }),
        invitationMail(locale, { storeName: "Boutique", invitedBy: "Awa", url: "https://caisse.example/invite/t", expiresAt: order.paidAt, timeZone: "Africa/Abidjan" }),
        receiptMail(locale, order),
        paymentReceivedMail(locale, order),
      ];
      for (const m of all) {
        expect(m.subject.length).toBeGreaterThan(5);
        expect(m.text).toMatch(/https:\/\/caisse\.example\//);
        expect(m.html).toMatch(/^<!doctype html>/);
      }
      expect(all[0]!.subject).toBe(locale === "fr" ? "Réinitialisez votre mot de passe Caisse" : "Reset your Caisse password");
    }
  });
});
