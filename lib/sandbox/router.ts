import { and, asc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { sandboxDeliveries, sandboxTransactions } from "@/db/schema";
import { PROVIDER_IDS, type ProviderId } from "@/lib/payments/types";
import { credentialMatches, findSandboxAccount } from "./accounts";
import { faultsSchema, setAccountFaults, setAccountSettings } from "./faults";
import { SANDBOX_PROVIDERS } from "./registry";
import { servedHere } from "./site";
import { httpUrlSchema } from "./targets";
import { sendTestNotification } from "./test-notification";
import type { SandboxDeps, SandboxProvider } from "./types";
import { BodyTooLarge, tooLarge, withCappedBody } from "@/lib/body-limit";
import { errorMessage, logger } from "@/lib/log";
import { NOTIFICATION_BODY_LIMIT } from "@/lib/payments/inbound";
import { sandboxHeaders } from "@/lib/security/headers";
import { bodyHasControlChars, isUnreadableUrl, jsonHasLoneSurrogate } from "@/lib/validation";

const SANDBOX_BODY_LIMIT = NOTIFICATION_BODY_LIMIT;

/**
 * Entry point of the built-in simulators: /sandbox/<provider>/<provider's own paths>, plus a
 * control API shared by all of them at /sandbox/<provider>/_control/… for tests and tooling.
 */
export async function handleSandbox(
  req: Request,
  deps: SandboxDeps,
  providers: Partial<Record<ProviderId, SandboxProvider>> = SANDBOX_PROVIDERS,
): Promise<Response> {
  const res = await route(req, deps, providers);
  // Copied: a Response.redirect's headers cannot be changed.
  const headers = new Headers(res.headers);
  for (const [key, value] of Object.entries(sandboxHeaders(new URL(req.url).pathname, deps.origin))) headers.set(key, value);
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}

async function route(req: Request, deps: SandboxDeps, providers: Partial<Record<ProviderId, SandboxProvider>>): Promise<Response> {
  if (!servedHere(req, deps)) return notFound();
  const url = new URL(req.url);
  const [root, provider, ...path] = url.pathname.split("/").filter(Boolean);
  if (root !== "sandbox" || !isProvider(provider)) return notFound();
  const simulator = providers[provider];
  if (!simulator) return notFound();
  try {
    // The simulators' requests (API calls, hosted-page forms) are small: the cap of a provider
    // notification bounds them too.
    req = await withCappedBody(req, SANDBOX_BODY_LIMIT);
  } catch (error) {
    if (error instanceof BodyTooLarge) return tooLarge();
    throw error;
  }
  // No id, reference, key or form field of any provider holds a control character, and the
  // simulators look most of them up (PostgreSQL refuses NUL): refused here, for every path and
  // every caller, keys or not, before any of them reads a value. Nor does any hold half a
  // surrogate pair, which the simulators' jsonb columns refuse.
  const text = await req.clone().text();
  if (isUnreadableUrl(url) || bodyHasControlChars(text) || jsonHasLoneSurrogate(text)) return badRequest();
  try {
    if (path[0] === "_control") return await control(req, simulator, path.slice(1), deps);
    return (await simulator.handle(req, path, deps)) ?? notFound();
  } catch (error) {
    logger(`sandbox:${provider}`).error({ err: errorMessage(error) }, "simulator failed");
    return Response.json({ error: "sandbox internal error" }, { status: 500 });
  }
}

/** Settings a merchant would make in the provider's own dashboard (KKiaPay webhook URL, iPay push timeout). */
const settingsSchema = z.object({ webhookUrl: httpUrlSchema.optional(), pushTimeoutSeconds: z.number().int().min(5).max(3600).optional() }).strict();

function isProvider(value: string | undefined): value is ProviderId {
  return (PROVIDER_IDS as readonly string[]).includes(value ?? "");
}

function badRequest() {
  return new Response("Bad Request", { status: 400, headers: { "content-type": "text/plain" } });
}

function notFound() {
  return new Response("Not Found", { status: 404, headers: { "content-type": "text/plain" } });
}

/**
 * POST _control/faults {accountId, faults}            set an account's faults ({} clears them)
 * POST _control/settings {accountId, settings}        provider-dashboard settings ({webhookUrl, pushTimeoutSeconds})
 * GET  _control/transactions/<merchant reference>?accountId=…   the simulator's view of a payment
 * GET  _control/deliveries?accountId=…&reference=…    notifications sent for it, in order
 * POST _control/test-notification {accountId, url}    the dashboard's "send a test notification": one delivery to url
 * Every call carries x-sandbox-secret: the account's secret credential (see each simulator).
 */
async function control(req: Request, simulator: SandboxProvider, path: string[], deps: SandboxDeps): Promise<Response> {
  const provider = simulator.id;
  const url = new URL(req.url);
  const body = req.method === "POST" ? await req.json().catch(() => null) : null;
  const accountId = String(body?.accountId ?? url.searchParams.get("accountId") ?? "");
  const account = await findSandboxAccount(deps, provider, accountId);
  if (!account || !credentialMatches(simulator.controlSecret(account.credentials), req.headers.get("x-sandbox-secret"))) {
    return Response.json({ error: "unknown account or wrong x-sandbox-secret" }, { status: 401 });
  }
  if (path[0] === "faults" && req.method === "POST") {
    const faults = faultsSchema.safeParse(body?.faults ?? {});
    if (!faults.success) return Response.json({ error: "invalid faults", issues: faults.error.issues }, { status: 400 });
    await setAccountFaults(deps, provider, accountId, faults.data);
    return Response.json({ accountId, faults: faults.data });
  }
  if (path[0] === "settings" && req.method === "POST") {
    const settings = settingsSchema.safeParse(body?.settings ?? {});
    if (!settings.success) return Response.json({ error: "invalid settings", issues: settings.error.issues }, { status: 400 });
    await setAccountSettings(deps, provider, accountId, settings.data);
    return Response.json({ accountId, settings: settings.data });
  }
  if (path[0] === "test-notification" && req.method === "POST") {
    const target = httpUrlSchema.safeParse(body?.url);
    if (!target.success) return Response.json({ error: "invalid url" }, { status: 400 });
    return Response.json(await sendTestNotification(deps, provider, account, target.data));
  }
  if (path[0] === "transactions" && path[1] && req.method === "GET") {
    const [txn] = await deps.db
      .select()
      .from(sandboxTransactions)
      .where(and(eq(sandboxTransactions.provider, provider), eq(sandboxTransactions.accountId, accountId), eq(sandboxTransactions.merchantReference, path[1])));
    return txn ? Response.json(txn) : Response.json({ error: "not found" }, { status: 404 });
  }
  if (path[0] === "deliveries" && req.method === "GET") {
    const reference = url.searchParams.get("reference") ?? "";
    const txns = await deps.db
      .select({ id: sandboxTransactions.id })
      .from(sandboxTransactions)
      .where(and(eq(sandboxTransactions.provider, provider), eq(sandboxTransactions.accountId, accountId), eq(sandboxTransactions.merchantReference, reference)));
    if (txns.length === 0) return Response.json([]);
    const rows = await deps.db
      .select()
      .from(sandboxDeliveries)
      .where(inArray(sandboxDeliveries.transactionId, txns.map((t) => t.id)))
      .orderBy(asc(sandboxDeliveries.id));
    return Response.json(rows);
  }
  return notFound();
}
