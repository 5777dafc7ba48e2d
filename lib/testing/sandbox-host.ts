import type { Database } from "@/db/client";
import { handleSandbox } from "@/lib/sandbox/router";
import type { SandboxDeps, SandboxProvider } from "@/lib/sandbox/types";
import { startHost } from "./http-host";
import { TEST_ENCRYPTION_KEY } from "./databases";

/**
 * The simulators' time in a test: shifted (a push timing out) or stopped. The per-minute rate
 * windows are calendar minutes, so a test that counts calls against a limit stops the clock: on a
 * busy machine its calls would otherwise straddle a minute and all be allowed.
 */
export type SandboxClock = { offsetMs: number; stoppedAt?: Date };

export async function withClockStopped<T>(clock: SandboxClock, work: () => Promise<T>): Promise<T> {
  clock.stoppedAt = new Date(Date.now() + clock.offsetMs);
  try {
    return await work();
  } finally {
    clock.stoppedAt = undefined;
  }
}

/** The simulators on a real HTTP port, over a test database seeded with TEST_ENCRYPTION_KEY. */
export async function startSandbox(
  database: Database,
  options: { providers?: SandboxProvider[]; deps?: Partial<SandboxDeps> } = {},
) {
  let origin = "";
  const clock: SandboxClock = { offsetMs: 0 };
  const now = () => clock.stoppedAt ?? new Date(Date.now() + clock.offsetMs);
  const deps = (): SandboxDeps => ({ db: database.db, encryptionKey: TEST_ENCRYPTION_KEY, origin, now, ...options.deps });
  const providers = options.providers ? Object.fromEntries(options.providers.map((p) => [p.id, p])) : undefined;
  const host = await startHost((req) => handleSandbox(req, deps(), providers));
  origin = host.url;
  return { ...host, clock, sandboxUrl: (provider: string) => `${host.url}/sandbox/${provider}` };
}
