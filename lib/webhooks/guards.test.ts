import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { FOREIGN_TARGETS } from "@/lib/testing/url-safety";
import { RETRY_SCHEDULE_MS } from "./deliver";
import { newWebhookSecret, SECRET_FORMAT, signedHeaders } from "./signature";
import { addressAllowed, endpointUrlProblem } from "./url-guard";

const dev = { allowLoopback: true };
const prod = { allowLoopback: false };

describe("webhook endpoint URLs", () => {
  it("live endpoints are https on public hosts only", () => {
    expect(endpointUrlProblem("https://shop.example.com/hooks", "live", dev)).toBeNull();
    expect(endpointUrlProblem("http://shop.example.com/hooks", "live", dev)).toBe("https_required");
    for (const url of ["https://localhost/h", "https://127.0.0.1/h", "https://10.0.0.1/h", "https://169.254.169.254/latest", "https://[::1]/h", "https://[fd00::1]/h", "https://[::ffff:10.0.0.1]/h", "https://intranet/h", "https://printer.local/h"]) {
      expect(endpointUrlProblem(url, "live", dev), url).toBe("url_private");
    }
    for (const url of ["ftp://example.com/", "https://user:pw@example.com/", "not a url", "javascript:alert(1)"]) expect(endpointUrlProblem(url, "live", dev), url).toBe("url_invalid");
  });

  it("sandbox endpoints may be http, and loopback only where the policy allows it; never a private network", () => {
    expect(endpointUrlProblem("http://localhost:4000/hooks", "sandbox", dev)).toBeNull();
    expect(endpointUrlProblem("http://127.0.0.1:4000/hooks", "sandbox", dev)).toBeNull();
    expect(endpointUrlProblem("http://127.0.0.1:4000/hooks", "sandbox", prod)).toBe("url_private");
    expect(endpointUrlProblem("http://shop.example.com/hooks", "sandbox", prod)).toBeNull();
    for (const url of FOREIGN_TARGETS.filter((u) => /10\.0|169\.254/.test(u))) expect(endpointUrlProblem(url, "sandbox", dev), url).toBe("url_private");
  });

  it("resolved addresses are judged the same way at connection time", () => {
    for (const a of ["10.1.2.3", "192.168.1.1", "172.20.0.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "fe80::1", "::ffff:127.0.0.1"]) expect(addressAllowed(a, dev) && !a.includes("127"), a).toBe(false);
    expect(addressAllowed("127.0.0.1", prod)).toBe(false);
    expect(addressAllowed("127.0.0.1", dev)).toBe(true);
    expect(addressAllowed("93.184.216.34", prod)).toBe(true);
    // IPv6 ways to an IPv4 inside: NAT64 (64:ff9b::a9fe:a9fe is 169.254.169.254 through a NAT64 gateway), 6to4, IPv4-compatible.
    for (const a of ["64:ff9b::a9fe:a9fe", "64:ff9b:1::a00:1", "2002:a00:1::1", "::a00:1", "100::1"]) expect(addressAllowed(a, prod), a).toBe(false);
    expect(addressAllowed("2a00:1450:4007:80e::200e", prod)).toBe(true);
    expect(addressAllowed("2606:2800:220:1::1", prod)).toBe(true);
  });
});

describe("webhook signatures", () => {
  it("a whsec_ secret of 24 random bytes; every active secret signs, and the official library verifies with either", () => {
    const [a, b] = [newWebhookSecret(), newWebhookSecret()];
    expect(a).toMatch(SECRET_FORMAT);
    expect(Buffer.from(a.slice(6), "base64")).toHaveLength(24);
    expect(a).not.toBe(b);
    const body = JSON.stringify({ type: "payment.paid", data: { id: "pay_1" } });
    const headers = signedHeaders([a, b], "msg_1", Math.floor(Date.now() / 1000), body);
    expect(headers["webhook-signature"]).toMatch(/^v1,\S+ v1,\S+$/);
    expect(new Webhook(a).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(b).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
    // The library's own signature is ours.
    const at = new Date();
    expect(signedHeaders([a], "msg_2", Math.floor(at.getTime() / 1000), body)["webhook-signature"]).toBe(new Webhook(a).sign("msg_2", new Date(Math.floor(at.getTime() / 1000) * 1000), body));
  });

  it("the retry schedule is Standard Webhooks' and stays within three days", () => {
    expect(RETRY_SCHEDULE_MS.slice(0, 6)).toEqual([5e3, 300e3, 1800e3, 7200e3, 18000e3, 36000e3]);
    const total = RETRY_SCHEDULE_MS.reduce((sum, ms) => sum + ms, 0);
    expect(total * 1.1).toBeLessThanOrEqual(3 * 24 * 3600e3);
    expect(total).toBeGreaterThan(2 * 24 * 3600e3);
  });
});
