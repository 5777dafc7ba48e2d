import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { providerUrls } from "./urls";

describe("provider URLs in sandbox mode", () => {
  it("are the app's own /sandbox without SANDBOX_ORIGIN", () => {
    const e = parseEnv({ APP_URL: "https://caisse.example" });
    expect(providerUrls("cinetpay", "sandbox", e)).toEqual({ api: "https://caisse.example/sandbox/cinetpay" });
  });

  it("are on SANDBOX_ORIGIN when the simulators have an origin of their own", () => {
    const e = parseEnv({ APP_URL: "https://caisse.example", SANDBOX_ORIGIN: "https://sandbox.caisse-test.example" });
    expect(providerUrls("cinetpay", "sandbox", e)).toEqual({ api: "https://sandbox.caisse-test.example/sandbox/cinetpay" });
    expect(providerUrls("kkiapay", "sandbox", e)).toEqual({ api: "https://sandbox.caisse-test.example/sandbox/kkiapay", script: "https://sandbox.caisse-test.example/sandbox/kkiapay/k.js" });
    expect(providerUrls("ipay", "sandbox", e).checkout).toBe("https://sandbox.caisse-test.example/sandbox/ipay/v3/ke");
    expect(providerUrls("cinetpay", "live", e)).toEqual({ api: "https://api-checkout.cinetpay.com" });
  });

  it("are on SANDBOX_URL when the simulators run in another process, whatever SANDBOX_ORIGIN says", () => {
    const e = parseEnv({ APP_URL: "https://caisse.example", SANDBOX_ORIGIN: "https://sandbox.caisse-test.example", SANDBOX_URL: "http://127.0.0.1:4100" });
    expect(providerUrls("orange-money", "sandbox", e)).toEqual({ api: "http://127.0.0.1:4100/sandbox/orange-money" });
  });
});
