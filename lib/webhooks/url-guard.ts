import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP } from "node:net";
import type { Mode } from "@/lib/payments/types";

/**
 * Where an endpoint may point (SSRF): live endpoints are https on public addresses only; sandbox
 * endpoints may also be plain http, and may reach this machine's loopback where `allowLoopback`
 * says so (development and the test suites: a merchant's site on localhost), never a private
 * network. Names are checked when registered and their addresses again at every connection,
 * so a name that later resolves to 10.0.0.1 (DNS rebinding) is refused too.
 */
export type UrlPolicy = { allowLoopback: boolean };
export type UrlProblem = "url_invalid" | "https_required" | "url_private";

const blocked = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 3],
] as const)
  blocked.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
  ["2001:db8::", 32],
  // Ways to an IPv4 address from IPv6: NAT64 (well-known and local-use), 6to4, IPv4-compatible, and discard-only.
  ["64:ff9b::", 96],
  ["64:ff9b:1::", 48],
  ["2002::", 16],
  ["::", 96],
  ["100::", 64],
] as const)
  blocked.addSubnet(net, prefix, "ipv6");

const loopback = new BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

/** An IPv6 form of an IPv4 address (::ffff:10.0.0.1) is judged as that IPv4 address. */
function normalized(address: string): { address: string; family: "ipv4" | "ipv6" } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1]!, family: "ipv4" };
  return { address, family: isIP(address) === 6 ? "ipv6" : "ipv4" };
}

/** Whether a connection to this address is allowed. */
export function addressAllowed(address: string, policy: UrlPolicy): boolean {
  const { address: a, family } = normalized(address);
  if (policy.allowLoopback && loopback.check(a, family)) return true;
  return !blocked.check(a, family);
}

const bareHost = (hostname: string) => hostname.replace(/^\[|\]$/g, "").toLowerCase();
const isLocalName = (host: string) => host === "localhost" || host.endsWith(".localhost");

/** What is wrong with an endpoint URL for this mode, or null. */
export function endpointUrlProblem(raw: string, mode: Mode, policy: UrlPolicy): UrlProblem | null {
  if (raw.length > 2048 || !URL.canParse(raw)) return "url_invalid";
  const url = new URL(raw);
  if (url.protocol !== "https:" && url.protocol !== "http:") return "url_invalid";
  if (url.username || url.password || !url.hostname) return "url_invalid";
  if (mode === "live" && url.protocol !== "https:") return "https_required";
  const host = bareHost(url.hostname);
  const loopbackAllowed = mode === "sandbox" && policy.allowLoopback;
  if (isLocalName(host)) return loopbackAllowed ? null : "url_private";
  if (isIP(host)) return addressAllowed(host, { allowLoopback: loopbackAllowed }) ? null : "url_private";
  // A name without a dot (an intranet host) or under a private suffix never reaches the internet.
  if (!host.includes(".") || /\.(local|internal|lan|home|corp|intranet)$/.test(host)) return "url_private";
  return null;
}

/** The host a delivery connects to when it is an address literal (no lookup happens for those). */
export function literalAddress(raw: string): string | null {
  const host = bareHost(new URL(raw).hostname);
  if (isIP(host)) return host;
  return isLocalName(host) ? "127.0.0.1" : null;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** dns.lookup for the delivery's socket: every address a name resolves to is checked before connecting. */
export function guardedLookup(policy: UrlPolicy) {
  return (hostname: string, options: object, callback: LookupCallback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const list = addresses as LookupAddress[];
      const refused = list.find((a) => !addressAllowed(a.address, policy));
      if (refused || list.length === 0) {
        const e = Object.assign(new Error(`refused address ${refused?.address ?? "none"} for ${hostname}`), { code: "EADDRREFUSED" });
        return callback(e, []);
      }
      if ((options as { all?: boolean }).all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}
