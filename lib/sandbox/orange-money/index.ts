import type { SandboxProvider } from "../types";
import { handleWebPayment, handleTransactionStatus } from "./api";
import { handleToken } from "./auth";
import { handlePaymentPage } from "./hosted-page";

/**
 * Orange Money WebPay, as PROVIDERS.md §2 and §5 describe it, under /sandbox/orange-money:
 *   POST oauth/v3/token                                       client-credentials token
 *   POST orange-money-webpay/{dev|cc}/v1/webpayment           create a payment (201)
 *   POST orange-money-webpay/{dev|cc}/v1/transactionstatus    status (201)
 *   GET|POST payment/pay_token/<pay_token>[/cancel]           the customer's payment page
 * The control API's secret is the account's client_secret; its accountId the merchant_key.
 * Payment page test codes: any MSISDN of 8–15 digits; OTP any 4 digits, except 0000 → FAILED.
 * Access tokens live 90 days of deps.now(), so a test moves the clock to get 401 code 42.
 */
export const orangeMoneySandbox: SandboxProvider = {
  id: "orange-money",
  controlSecret: (credentials) => credentials.clientSecret ?? "",
  async handle(req, path, deps) {
    const [a, b, c, d, ...rest] = path;
    if (a === "oauth" && b === "v3" && c === "token" && d === undefined) return handleToken(req, deps);
    if (a === "orange-money-webpay" && b && c === "v1" && rest.length === 0) {
      if (d === "webpayment") return handleWebPayment(req, b, deps);
      if (d === "transactionstatus") return handleTransactionStatus(req, b, deps);
    }
    if (a === "payment" && b === "pay_token" && c && rest.length === 0) return handlePaymentPage(req, c, d, deps);
    return null;
  },
};
