import type { Db } from "@/db/client";
import type { ProviderId } from "@/lib/payments/types";

/** What every simulator handler receives: the sandbox behaves like a remote system on its own. */
export type SandboxDeps = {
  db: Db;
  /** Decrypts the sandbox accounts' stored credentials, which the simulators check callers against. */
  encryptionKey: string;
  /** Public origin the sandbox is served from (http://localhost:3000); pages live at /sandbox/<provider>. */
  origin: string;
  /**
   * The app's own origin (APP_URL), where its return pages and webhook routes are: with loopback
   * outside production, the only place a simulator sends a shopper or a notification. Defaults to `origin`.
   */
  appOrigin?: string;
  /**
   * Loopback URLs on any port are followable too (see targets.ts). Defaults to
   * SANDBOX_LOOPBACK_TARGETS, which is off in production.
   */
  loopbackTargets?: boolean;
  /** The sandbox has an origin of its own (SANDBOX_ORIGIN): a request under any other Host is refused. */
  exclusiveOrigin?: boolean;
  now?: () => Date;
  /** Outgoing notifications go through this (tests may count them); defaults to global fetch. */
  fetch?: typeof fetch;
};

/**
 * One simulator. `path` is what follows /sandbox/<provider>/ (e.g. ["v2", "payment"]).
 * Return null for an unknown path (the router answers 404).
 */
export type SandboxProvider = {
  id: ProviderId;
  handle(req: Request, path: string[], deps: SandboxDeps): Promise<Response | null>;
  /** The credential a test must present to the control API for this provider's accounts. */
  controlSecret(credentials: Record<string, string>): string;
};
