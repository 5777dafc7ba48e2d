import { z } from "zod";
import { env } from "@/lib/env";
import type { SandboxDeps } from "./types";

/**
 * Anyone holding the demo keys can create a sandbox payment, so the URLs it carries are hostile
 * until shown otherwise. A simulator accepts http(s) URLs only, and follows one (redirects or
 * auto-submits a shopper's browser there, links to it, sends a notification to it) only when it
 * leads back to the app (its APP_URL origin) or, outside production, to this machine (loopback
 * on any port, where tests and tools listen). Anything else would make the sandbox an open
 * redirect, a stored XSS on whatever origin serves it, or a port scanner of the networks it can
 * reach; loopback in production would let it knock on the server's own unexposed services
 * (PostgreSQL, Redis, an admin port), which no deployed simulator has any reason to call.
 */

/** An http(s) URL; the protocol is what matters, the host is judged later by followable(). */
export function isHttpUrl(value: unknown): boolean {
  if (typeof value !== "string") return false;
  try {
    const { protocol } = new URL(value);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}

/** z.url() alone takes javascript: and data: URLs. */
export const httpUrlSchema = z.url({ protocol: /^https?$/ });

function isLoopback(hostname: string): boolean {
  // URL() has already normalised the host: lower case, IPv4 in dotted decimal, IPv6 in brackets.
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * The URL as a browser or fetch() would read it, when the simulators may follow it; null when
 * they must not. Callers render and fetch the returned form, never the raw string, so what was
 * checked is exactly what is used.
 */
export function followable(value: unknown, targets: Targets): string | null {
  if (!isHttpUrl(value)) return null;
  const url = new URL(value as string);
  return url.origin === new URL(targets.appOrigin).origin || (targets.loopback && isLoopback(url.hostname)) ? url.href : null;
}

/** Where the simulators may send a shopper or a notification. */
export type Targets = {
  /** APP_URL's origin (the sandbox's own when they share it): always followable. */
  appOrigin: string;
  /** Loopback on any port as well: development, tests, the benches' simulator process. */
  loopback: boolean;
};

/**
 * The targets as the simulators know them. Loopback follows SANDBOX_LOOPBACK_TARGETS (on outside
 * production) unless the deps say otherwise, so a harness that forgets it is safe in production.
 */
export function targetsOf(deps: Pick<SandboxDeps, "origin" | "appOrigin" | "loopbackTargets">): Targets {
  return { appOrigin: deps.appOrigin ?? deps.origin, loopback: deps.loopbackTargets ?? env().SANDBOX_LOOPBACK_TARGETS };
}

/** What _control/deliveries shows for a target never contacted: no status, no time. */
export const REFUSED_TARGET = "refused: the target is not the app's origin (nor, outside production, loopback), so it was not contacted";
