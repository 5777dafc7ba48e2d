import { getProvider } from "./registry";
import type { ConnectionResult, Mode, ProviderId } from "./types";

/** Long enough for a provider far away, short enough for a merchant waiting on a button. */
export const CONNECTION_TEST_TIMEOUT_MS = 8_000;

export type ConnectionDeps = {
  urlsFor: (provider: ProviderId, mode: Mode) => Record<string, string>;
  fetch?: typeof fetch;
  timeoutMs?: number;
};

/**
 * Whether `provider` takes these credentials, asked at the mode's hosts (the simulator in
 * sandbox, the real provider in live). Credentials the provider's schema refuses are never sent.
 */
export async function testConnection(deps: ConnectionDeps, provider: ProviderId, mode: Mode, credentials: unknown): Promise<ConnectionResult> {
  const adapter = getProvider(provider);
  const parsed = adapter.credentialsSchema.safeParse(credentials);
  if (!parsed.success) return { outcome: "refused", detail: "incomplete credentials" };
  return adapter.testConnection({
    mode,
    credentials: parsed.data,
    urls: deps.urlsFor(provider, mode),
    timeoutMs: deps.timeoutMs ?? CONNECTION_TEST_TIMEOUT_MS,
    fetch: deps.fetch,
  });
}
