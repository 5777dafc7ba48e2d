import type { SandboxProvider } from "../types";
import { handleApi } from "./api";
import { handleCheckout } from "./hosted-page";
import { handleIpn } from "./ipn";
import { handlePhone } from "./phone";

/**
 * iPay Africa, played by the sandbox at /sandbox/ipay: the hosted checkout (/v3/ke), the IPN
 * (/ipn/), the REST API (/payments/v2/…) and a phone screen for STK prompts (/phone/<msisdn>).
 */
export const ipaySandbox: SandboxProvider = {
  id: "ipay",
  async handle(req, path, deps) {
    const [first, second, ...rest] = path;
    if (first === "v3" && second === "ke") return handleCheckout(req, rest, deps);
    if (first === "payments" && second === "v2") return handleApi(req, rest, deps);
    if (first === "ipn" && path.length === 1) return handleIpn(req, deps);
    if (first === "phone") return handlePhone(req, path.slice(1), deps);
    return null;
  },
  controlSecret: (credentials) => credentials.securityKey ?? "",
};
