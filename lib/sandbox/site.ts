import type { Env } from "@/lib/env";
import type { SandboxDeps } from "./types";

/**
 * Where the simulators live. Sharing the app's origin is convenient in development, but then
 * their pages, which render what anyone holding the demo keys sends, run next to the dashboard's
 * session. SANDBOX_ORIGIN gives them an origin of their own; shoppers and notifications still go
 * back to APP_URL.
 */
export function sandboxSite(e: Pick<Env, "APP_URL" | "SANDBOX_ORIGIN" | "SANDBOX_LOOPBACK_TARGETS">): Pick<SandboxDeps, "origin" | "appOrigin" | "exclusiveOrigin" | "loopbackTargets"> {
  return { origin: e.SANDBOX_ORIGIN ?? e.APP_URL, appOrigin: e.APP_URL, exclusiveOrigin: Boolean(e.SANDBOX_ORIGIN), loopbackTargets: e.SANDBOX_LOOPBACK_TARGETS };
}

/**
 * With an origin of their own, the simulators answer only under its Host: served under the
 * dashboard's, a page would run on the dashboard's origin again. Behind a proxy the Host the
 * browser asked for is X-Forwarded-Host, as Next.js itself reads it; a browser cannot forge
 * either on a navigation, which is what this guards.
 */
export function servedHere(req: Request, deps: Pick<SandboxDeps, "origin" | "exclusiveOrigin">): boolean {
  if (!deps.exclusiveOrigin) return true;
  const asked = req.headers.get("x-forwarded-host")?.split(",")[0] ?? req.headers.get("host") ?? "";
  return asked.trim().toLowerCase() === new URL(deps.origin).host;
}
