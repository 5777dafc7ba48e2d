import type { ProviderId } from "@/lib/payments/types";
import type { SandboxProvider } from "./types";

/** The simulators served under /sandbox/<provider>. */
export const SANDBOX_PROVIDERS: Partial<Record<ProviderId, SandboxProvider>> = {};
