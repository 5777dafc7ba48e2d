import { describe, expect, it } from "vitest";
import { loadMessages } from "@/lib/i18n/messages";
import { eventWords, whoDidIt } from "./timeline-words";

const event = (type: string, data: Record<string, unknown> = {}, extra: { toStatus?: string; actor?: string } = {}) => ({ type, fromStatus: null, toStatus: extra.toStatus ?? null, actor: extra.actor ?? "cinetpay", data });
const cinetpay = { provider: "cinetpay" as const, failureCode: null };

describe("the order timeline in the merchant's words", () => {
  it("a notification's verdict becomes a sentence, not 'Verdict : authentic'", () => {
    expect(eventWords(event("notification", { verdict: "authentic" }), cinetpay).say).toBe("notificationAuthentic");
    expect(eventWords(event("notification", { verdict: "forged" }), cinetpay).say).toBe("notificationForged");
    expect(eventWords(event("notification", { verdict: "unverifiable" }), cinetpay).say).toBe("notificationUnverifiable");
  });

  it("a payment confirmed by the provider's answer reads as confirmed; one a person accepted says so", () => {
    expect(eventWords(event("transition", {}, { toStatus: "paid", actor: "notification" }), cinetpay)).toMatchObject({ say: "paidConfirmed", who: "notification" });
    expect(eventWords(event("transition", {}, { toStatus: "paid", actor: "user:usr_1" }), cinetpay)).toMatchObject({ say: "paidAccepted", who: "team" });
  });

  it("a refusal carries the provider's code and the reason the shopper was given", () => {
    const words = eventWords(event("transition", {}, { toStatus: "failed", actor: "reconciliation" }), { provider: "cinetpay", failureCode: "602" });
    expect(words).toMatchObject({ say: "failed", code: "602", reason: "insufficient_funds", who: "automatic" });
    expect(eventWords(event("status_check", { error: "network_error" }), cinetpay)).toMatchObject({ say: "checkFailed", code: "network_error", reason: "service_unavailable" });
    expect(eventWords(event("status_check", { error: "something_new" }), cinetpay)).toMatchObject({ code: "something_new", reason: undefined });
  });

  it("names who acted without the pipeline's words", () => {
    expect(whoDidIt("reconciliation", "kkiapay")).toBe("automatic");
    expect(whoDidIt("kkiapay", "kkiapay")).toBe("provider");
    expect(whoDidIt("user:usr_9", "kkiapay")).toBe("team");
    expect(whoDidIt("checkout", "kkiapay")).toBe("shopper");
  });

  it("every sentence and every actor has words in French and English", async () => {
    const types = [
      event("init_request"),
      event("init_request", { secondTransactionOf: "pay_1" }),
      event("init_response"),
      event("init_response", { error: "invalid_phone" }),
      event("notification", { verdict: "authentic" }),
      event("notification", { verdict: "forged" }),
      event("notification", {}),
      event("status_check", { error: "timeout" }),
      event("status_check", { otherTransaction: "x" }),
      event("status_check", { status: "pending" }),
      event("status_check"),
      event("transition", { flag: "double_payment" }, { toStatus: "paid" }),
      event("transition", {}, { toStatus: "paid" }),
      event("transition", {}, { toStatus: "paid", actor: "user:u" }),
      event("transition", {}, { toStatus: "failed" }),
      event("transition", {}, { toStatus: "cancelled" }),
      event("transition", {}, { toStatus: "expired" }),
      event("transition", {}, { toStatus: "refunded" }),
      event("transition", {}, { toStatus: "pending" }),
      event("refund", { error: "x" }),
      event("refund", { manual: true }),
      event("refund"),
      event("flag", { flag: "double_payment" }),
      event("exception", { flag: "overpaid" }),
      event("ignored"),
      event("note"),
    ];
    const says = new Set(types.map((e) => eventWords(e, cinetpay).say));
    const whos = ["automatic", "provider", "team", "shopper", "notification", "return", "caisse"];
    for (const locale of ["fr", "en"] as const) {
      const detail = (await loadMessages(locale)).orderDetail as { say: Record<string, string>; who: Record<string, string> };
      for (const say of says) expect(detail.say[say], `${locale} say.${say}`).toBeTruthy();
      for (const who of whos) expect(detail.who[who], `${locale} who.${who}`).toBeTruthy();
    }
  });
});
