import { afterAll, beforeAll } from "vitest";
import type { Database } from "@/db/client";
import { seedDemo } from "@/db/seed";
import type { PaymentDeps } from "@/lib/payments/accounts";
import { orderStatusResponse } from "@/lib/orders/status-response";
import { returnResponse, webhookResponse } from "@/lib/payments/routes";
import { providerUrls } from "@/lib/payments/urls";
import { parseEnv } from "@/lib/env";
import { apiResponse, API_PREFIX } from "@/lib/api/routes";
import { DEFAULT_RATE_LIMIT, type RateLimit } from "@/lib/api/rate-limit";
import { handleSandbox } from "@/lib/sandbox/router";
import { TEST_ENCRYPTION_KEY } from "./databases";
import { startHost } from "./http-host";

/**
 * Caisse's payment routes and the simulators on one real HTTP port, as `next start` serves them:
 * /sandbox/…, /api/webhooks/<provider>/<merchant>, /orders/<id>/return, /api/orders/<id>/status
 * (GET only, as its route file exports), the merchant API under /api/v1. Integration tests drive
 * whole flows through it on a real database; nothing is mocked.
 */
const defaults = parseEnv({});

/**
 * `fetch`, `now`: what the routes' own deps use (tests that count provider calls or hold the
 * clock). The simulators on the same port keep the same time as the app.
 */
export async function startAppHost(database: Database, options: Pick<PaymentDeps, "timeouts" | "fetch" | "now"> & { liveUrl?: string; rateLimit?: RateLimit } = {}) {
  let origin = "";
  const deps = (): PaymentDeps => ({
    db: database.db,
    encryptionKey: TEST_ENCRYPTION_KEY,
    appUrl: origin,
    urlsFor: (provider, mode) => {
      const urls = providerUrls(provider, mode, { ...defaults, APP_URL: origin });
      // Live calls go to the test's stand-in (`liveUrl`), never to a real provider.
      return mode === "live" && options.liveUrl ? Object.fromEntries(Object.keys(urls).map((k) => [k, `${options.liveUrl}/${provider}/${k}`])) : urls;
    },
    timeouts: options.timeouts ?? { initMs: 5_000, statusMs: 3_000 },
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const host = await startHost(async (req) => {
    const path = new URL(req.url).pathname;
    if (path === API_PREFIX || path.startsWith(`${API_PREFIX}/`)) return apiResponse({ payments: deps(), rateLimit: options.rateLimit ?? DEFAULT_RATE_LIMIT, webhookUrls: { allowLoopback: true }, ...(options.now ? { now: options.now } : {}) }, req);
    if (path.startsWith("/sandbox/")) return handleSandbox(req, { db: database.db, encryptionKey: TEST_ENCRYPTION_KEY, origin, ...(options.now ? { now: options.now } : {}) });
    // Dynamic segments reach the routes decoded, as Next hands them over; one that does not
    // decode (%FF) is answered 400 by proxy.ts before any route runs (Next's router alone would
    // answer 500: e2e/security.spec.ts).
    const webhook = path.match(/^\/api\/webhooks\/([^/]+)\/([^/]+)$/);
    const back = path.match(/^\/orders\/([^/]+)\/return$/);
    const status = path.match(/^\/api\/orders\/([^/]+)\/status$/);
    const segments = (webhook ?? back ?? status)?.slice(1).map(decodeSegment);
    if (segments?.includes(null)) return new Response("Bad Request", { status: 400 });
    if (webhook) return webhookResponse(deps(), segments![0]!, segments![1]!, req);
    if (back) return returnResponse(deps(), segments![0]!, req);
    if (status) return req.method === "GET" ? orderStatusResponse(database.db, segments![0]!) : new Response("Method Not Allowed", { status: 405 });
    return new Response("Not Found", { status: 404 });
  });
  origin = host.url;
  return { ...host, deps };
}

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/**
 * For a describe block: a fresh database (seeded with the demo merchants, and `orders` of their history) and the
 * app host on it, opened before the block's tests and closed after them.
 */
export function usePaymentsWorld(open: () => Promise<Database>, { orders = 0 }: { orders?: number } = {}) {
  const world = {} as { database: Database; app: Awaited<ReturnType<typeof startAppHost>> };
  beforeAll(async () => {
    world.database = await open();
    await seedDemo(world.database.db, { encryptionKey: TEST_ENCRYPTION_KEY, orders });
    world.app = await startAppHost(world.database);
  });
  afterAll(async () => {
    await world.app?.close();
    await world.database?.close();
  });
  return world;
}
