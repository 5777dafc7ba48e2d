import { safeEqual } from "@/lib/crypto";
import type { SandboxDeps } from "../types";
import { IPN_CODES } from "./codes";
import { findByReference, stripOid } from "./store";
import { guard } from "./wire";

const ECHOED = ["qwh", "afd", "poi", "uyt", "ifd"] as const;

/**
 * GET /ipn/?vendor=&id=&ivm=&qwh=&afd=&poi=&uyt=&ifd= → the authoritative status code as plain
 * text. The opaque ids must be the ones of the callback the merchant received; anything that
 * does not match a real callback reads as "failed", which is all iPay ever says about it.
 */
export async function handleIpn(req: Request, deps: SandboxDeps): Promise<Response | null> {
  if (req.method !== "GET") return null;
  const q = new URL(req.url).searchParams;
  const vendor = q.get("vendor") ?? "";
  const session = await findByReference(deps, vendor, stripOid(q.get("id") ?? ""));
  const blocked = await guard(deps, req, vendor, "status", session?.faults);
  if (blocked) return blocked;
  const ids = session?.state.ids;
  const genuine =
    session !== null &&
    ids !== undefined &&
    safeEqual(q.get("ivm") ?? "", session.request.inv) &&
    ECHOED.every((k) => safeEqual(q.get(k) ?? "", ids[k] ?? ""));
  const code = genuine ? (session.state.ipnCode ?? IPN_CODES.pending) : IPN_CODES.failed;
  return new Response(code, { status: 200, headers: { "content-type": "text/plain; charset=utf-8" } });
}
