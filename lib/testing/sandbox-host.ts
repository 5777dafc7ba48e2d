import type { Database } from "@/db/client";
import { handleSandbox } from "@/lib/sandbox/router";
import type { SandboxDeps, SandboxProvider } from "@/lib/sandbox/types";
import { startHost } from "./http-host";
import { TEST_ENCRYPTION_KEY } from "./databases";

/** The simulators on a real HTTP port, over a test database seeded with TEST_ENCRYPTION_KEY. */
export async function startSandbox(
  database: Database,
  options: { providers?: SandboxProvider[]; deps?: Partial<SandboxDeps> } = {},
) {
  let origin = "";
  const deps = (): SandboxDeps => ({ db: database.db, encryptionKey: TEST_ENCRYPTION_KEY, origin, ...options.deps });
  const providers = options.providers ? Object.fromEntries(options.providers.map((p) => [p.id, p])) : undefined;
  const host = await startHost((req) => handleSandbox(req, deps(), providers));
  origin = host.url;
  return { ...host, sandboxUrl: (provider: string) => `${host.url}/sandbox/${provider}` };
}
