import type { SandboxProvider } from "@/lib/sandbox/types";
import { checkPayment } from "./check";
import { initPayment } from "./init";
import { hostedPage } from "./pages";

/**
 * CinetPay's classic checkout v2, served at /sandbox/cinetpay/…: the API host's
 * /v2/payment and /v2/payment/check, and the hosted page at /payment/<payment_token>.
 */
export const cinetpaySandbox: SandboxProvider = {
  id: "cinetpay",
  async handle(req, path, deps) {
    const [first, second, third, fourth] = path;
    if (first === "v2" && second === "payment" && req.method === "POST") {
      if (third === undefined) return initPayment(req, deps);
      if (third === "check" && fourth === undefined) return checkPayment(req, deps);
      return null;
    }
    if (first === "payment" && second && (third === undefined || third === "confirm") && fourth === undefined) {
      return hostedPage(req, second, third, deps);
    }
    return null;
  },
  // The back-office Secret Key is what only the merchant holds.
  controlSecret: (credentials) => credentials.secretKey ?? "",
};
