import type { Db } from "@/db/client";
import type { ProviderId } from "@/lib/payments/types";

/** What every simulator handler receives: the sandbox behaves like a remote system on its own. */
export type SandboxDeps = {
  db: Db;
  /** Decrypts the sandbox accounts' stored credentials, which the simulators check callers against. */
  encryptionKey: string;
  /** Public origin the sandbox is served from (http://localhost:3000); pages live at /sandbox/<provider>. */
  origin: string;
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
