import { describe, expect, it } from "vitest";
import { PaymentError } from "./errors";
import { providerState } from "./recovery";
import { ProviderError } from "./types";

describe("what a call's outcome says of the provider", () => {
  it("an answer, a refusal or a transaction it does not know: it answered", () => {
    expect(providerState(undefined)).toBe("answered");
    expect(providerState(new ProviderError("cinetpay", "transaction_not_found", "unknown", false))).toBe("answered");
  });

  it("a 5xx, a timeout or a refused connection: it is down", () => {
    expect(providerState(new ProviderError("cinetpay", "provider_unavailable", "HTTP 503", true, { httpStatus: 503 }))).toBe("down");
    expect(providerState(new ProviderError("kkiapay", "timeout", "no answer within 10000 ms", true))).toBe("down");
    expect(providerState(new ProviderError("kkiapay", "network_error", "ECONNREFUSED", true))).toBe("down");
  });

  it("a 429 is neither: the account's pause handles it, no recovery", () => {
    expect(providerState(new ProviderError("cinetpay", "rate_limited", "HTTP 429", true, { httpStatus: 429, retryAfterSeconds: 60 }))).toBe("unknown");
    expect(providerState(new ProviderError("orange-money", "rate_limited", "code 53", true))).toBe("unknown");
  });

  it("our own failure says nothing of the provider", () => {
    expect(providerState(new PaymentError("payment_not_found", { fr: "Paiement introuvable.", en: "Payment not found." }))).toBe("unknown");
  });
});
