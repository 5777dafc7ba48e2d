import type { SandboxDeps } from "../types";

/** Tests fake time through deps.now (token expiry, the pay_token's 10-minute window). */
export function nowOf(deps: SandboxDeps): Date {
  return deps.now?.() ?? new Date();
}
