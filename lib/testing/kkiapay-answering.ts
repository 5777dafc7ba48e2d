import type { PaymentDeps } from "@/lib/payments/accounts";
import { startHost } from "./http-host";

/**
 * KKiaPay's status API answering exactly what a test says (a provider's odd but possible
 * answers: a fractional fee, no amount), on a real port; the adapter and everything after it are
 * Caisse's own. `deps` sends KKiaPay API calls there and everything else where `base` does.
 */
export async function kkiapayAnswering(base: PaymentDeps, verify: (transactionId: string) => Record<string, unknown>) {
  const host = await startHost(async (req) => {
    const body = (await req.json()) as { transactionId: string };
    return Response.json(verify(body.transactionId));
  });
  const deps: PaymentDeps = { ...base, urlsFor: (provider, mode) => ({ ...base.urlsFor(provider, mode), api: host.url }) };
  return { host, deps };
}
