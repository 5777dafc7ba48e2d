import type { ProviderId } from "@/lib/payments/types";
import { cinetpaySandbox } from "./cinetpay";
import { ipaySandbox } from "./ipay";
import { kkiapaySandbox } from "./kkiapay";
import { orangeMoneySandbox } from "./orange-money";
import type { SandboxProvider } from "./types";

/** The simulators served under /sandbox/<provider>. */
export const SANDBOX_PROVIDERS: Partial<Record<ProviderId, SandboxProvider>> = {
  cinetpay: cinetpaySandbox,
  "orange-money": orangeMoneySandbox,
  kkiapay: kkiapaySandbox,
  ipay: ipaySandbox,
};
