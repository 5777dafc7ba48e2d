import { describe, expect, it } from "vitest";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { chooseOutcome, newOid, openCheckout, postJson, signedForm, signedSearch, useIpayWorld, vendor } from "./testing";

const autre = vendor("autre");
const CODES = { paid: "aei7p7yrx4ae34", pending: "bdi6p2yy76etrs", failed: "fe2707etr5s4wq", used: "cr5i3pgy9867e1", less: "dtfi4p7yty45wq", more: "eq3i7p5yt7645e" };
const CALLBACK_KEYS = ["status", "txncd", "msisdn_id", "msisdn_idnum", "p1", "p2", "p3", "p4", "uyt", "agt", "qwh", "ifd", "afd", "poi", "id", "ivm", "mc", "channel"];

describe.each(TEST_DATABASES)("iPay hosted checkout on $name", ({ open }) => {
  const env = useIpayWorld(open);

  const cbk = () => `${env.receiver.url}/return?p=pay_1`;

  /** Form → session page → outcome → the browser follows the 302 to the env.receiver. */
  async function payThrough(outcome: keyof typeof CODES, ttl = "1250.00", extra: Record<string, string> = {}) {
    const oid = newOid();
    const opened = await openCheckout(env.world.base, signedForm(autre, { oid, ttl, cbk: cbk() }));
    expect(opened.status).toBe(303);
    const choice = await chooseOutcome(opened.sessionUrl, { outcome, ...extra });
    expect(choice.status).toBe(302);
    const location = choice.headers.get("location")!;
    const before = env.receiver.received.length;
    await fetch(location);
    const [arrived] = (await env.receiver.waitFor(before + 1)).slice(before);
    return { oid, location, query: arrived!.query, path: arrived!.path };
  }

  it("renders the checkout in French by default, with the channels, outcomes and advanced panel", async () => {
    const opened = await openCheckout(env.world.base, signedForm(autre, { oid: newOid(), ttl: "1250.00", cbk: cbk() }));
    const html = await (await fetch(opened.sessionUrl)).text();
    expect(html).toContain('<html lang="fr">');
    expect(html).toMatch(/<title>Duka la Autre — [^<]+ · iPay Africa \(sandbox\)<\/title>/);
    expect(html).toContain("1\u202f250,00\u00a0KES");
    for (const c of ["mpesa", "airtel", "card"]) expect(html).toContain(`data-testid="ipay-channel-${c}"`);
    for (const o of Object.keys(CODES)) expect(html).toContain(`data-testid="ipay-outcome-${o}"`);
    expect(html).toContain('data-testid="ipay-submit"');
    expect(html).toContain('<label for="payer_phone">');
    expect(html).toContain("<details");
    expect(html).toContain('name="fault_tamperAmount"');
  });

  it("speaks English when asked, and shows only the channels the form enabled", async () => {
    const fields = signedForm(autre, { oid: newOid(), ttl: "1250.00", cbk: cbk(), mpesa: "1", airtel: "0", creditcard: "0" });
    const opened = await openCheckout(env.world.base, fields, "?lang=en");
    const html = await (await fetch(opened.sessionUrl)).text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain("KES\u00a01,250.00");
    expect(html).toContain('data-testid="ipay-channel-mpesa"');
    expect(html).not.toContain('data-testid="ipay-channel-airtel"');
    expect(html).not.toContain('data-testid="ipay-channel-card"');
  });

  it("accepts the form as a GET too", async () => {
    const fields = signedForm(autre, { oid: newOid(), ttl: "10.00", cbk: cbk() });
    const res = await fetch(`${env.world.base}/v3/ke?${new URLSearchParams(fields)}`, { redirect: "manual" });
    expect(res.status).toBe(303);
  });

  it("shows iPay's error page for a wrong hash, a URL-encoded cbk, an unknown vendor or missing fields", async () => {
    const good = signedForm(autre, { oid: newOid(), ttl: "100.00", cbk: cbk() });
    const wrong = await openCheckout(env.world.base, { ...good, ttl: "1.00" });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toContain('data-testid="ipay-error"');
    expect(wrong.body).toContain("Empreinte (hsh) invalide");
    expect((await openCheckout(env.world.base, { ...good, ttl: "1.00" }, "?lang=en")).body).toContain("Invalid hash (hsh)");
    // Hashing the encoded URL but sending it raw (the classic bug) is a mismatch too.
    const encoded = signedForm(autre, { oid: newOid(), ttl: "100.00", cbk: encodeURIComponent(cbk()) });
    expect((await openCheckout(env.world.base, { ...encoded, cbk: cbk() })).status).toBe(401);
    const stranger = signedForm({ vid: "nobody", key: autre.key }, { oid: newOid(), ttl: "100.00", cbk: cbk() });
    expect(await openCheckout(env.world.base, stranger)).toMatchObject({ status: 401, body: expect.stringContaining("nobody") });
    const unsigned = Object.fromEntries(Object.entries(good).filter(([k]) => k !== "hsh"));
    expect(await openCheckout(env.world.base, unsigned)).toMatchObject({ status: 400, body: expect.stringContaining("hsh") });
  });

  it("redirects a paid checkout to cbk with the full §4.2 query and no hash", async () => {
    const { oid, query, path } = await payThrough("paid");
    expect(path).toBe("/return");
    expect(query.get("p")).toBe("pay_1");
    for (const key of CALLBACK_KEYS) expect(query.has(key)).toBe(true);
    expect([...query.keys()].some((k) => /hash|hsh|sig/i.test(k))).toBe(false);
    expect(query.get("status")).toBe(CODES.paid);
    expect(query.get("id")).toBe(oid);
    expect(query.get("ivm")).toBe(oid);
    expect(query.get("mc")).toBe("1250.00");
    expect(query.get("channel")).toBe("MPESA");
    expect(query.get("txncd")).toMatch(/^[A-Z0-9]{10}$/);
    expect(query.get("msisdn_id")).toBe("BRIAN OTIENO");
    expect(query.get("msisdn_idnum")).toBe("254722000000");
    for (const k of ["qwh", "afd", "poi", "uyt", "ifd", "agt"]) expect(query.get(k)).toMatch(/^\d{10}$/);
  });

  it.each([
    ["pending", "0.00", 404],
    ["failed", "0.00", 404],
    ["used", "0.00", 404],
    ["less", "625.00", 200],
    ["more", "1350.00", 200],
  ] as const)("reports %s with its code, mc %s and search %i", async (outcome, mc, searchStatus) => {
    const { oid, query } = await payThrough(outcome);
    expect(query.get("status")).toBe(CODES[outcome]);
    expect(query.get("mc")).toBe(mc);
    const search = await postJson(`${env.world.base}/payments/v2/transaction/search`, signedSearch(autre, oid));
    expect(search.status).toBe(searchStatus);
    if (searchStatus === 200) expect((search.json.data as { transaction_amount: string }).transaction_amount).toBe(mc);
  });

  it("calls cbk server to server as well when autopay=1", async () => {
    const opened = await openCheckout(env.world.base, signedForm(autre, { oid: newOid(), ttl: "100.00", cbk: cbk(), autopay: "1" }));
    const before = env.receiver.received.length;
    expect((await chooseOutcome(opened.sessionUrl, { outcome: "paid" })).status).toBe(302);
    const [serverSide] = (await env.receiver.waitFor(before + 1)).slice(before);
    expect(serverSide!.headers.get("user-agent")).toContain("Sandbox");
    expect(serverSide!.query.get("status")).toBe(CODES.paid);
  });

  it("answers the IPN with the authoritative code, and 'failed' for ids that were never sent", async () => {
    const { query } = await payThrough("more");
    const ipn = new URLSearchParams({ vendor: autre.vid });
    for (const k of ["id", "ivm", "qwh", "afd", "poi", "uyt", "ifd"]) ipn.set(k, query.get(k)!);
    const res = await fetch(`${env.world.base}/ipn/?${ipn}`);
    expect(res.headers.get("content-type")).toContain("text/plain");
    expect(await res.text()).toBe(CODES.more);
    ipn.set("qwh", "1");
    expect(await (await fetch(`${env.world.base}/ipn/?${ipn}`)).text()).toBe(CODES.failed);
  });

  it("lets a pending checkout be paid later, and refuses to pay it twice", async () => {
    const oid = newOid();
    const opened = await openCheckout(env.world.base, signedForm(autre, { oid, ttl: "100.00", cbk: cbk() }));
    expect((await chooseOutcome(opened.sessionUrl, { outcome: "pending" })).status).toBe(302);
    const second = await chooseOutcome(opened.sessionUrl, { outcome: "paid", channel: "airtel" });
    expect(new URL(second.headers.get("location")!).searchParams.get("channel")).toBe("AIRTEL");
    expect((await chooseOutcome(opened.sessionUrl, { outcome: "paid" })).status).toBe(409);
    // The same oid cannot open a new checkout once paid.
    expect((await openCheckout(env.world.base, signedForm(autre, { oid, ttl: "100.00", cbk: cbk() }))).status).toBe(409);
  });

  it("streams the callback data as JSON (crl=2) or CSV (crl=1) instead of redirecting", async () => {
    const json = await openCheckout(env.world.base, signedForm(autre, { oid: newOid(), ttl: "100.00", cbk: cbk(), crl: "2" }));
    const streamed = await chooseOutcome(json.sessionUrl, { outcome: "paid" });
    expect(streamed.status).toBe(200);
    expect(await streamed.json()).toMatchObject({ status: CODES.paid, mc: "100.00" });
    const csv = await openCheckout(env.world.base, signedForm(autre, { oid: newOid(), ttl: "100.00", cbk: cbk(), crl: "1" }));
    const text = await (await chooseOutcome(csv.sessionUrl, { outcome: "failed" })).text();
    expect(text.split("\n")[0]).toBe(CALLBACK_KEYS.join(","));
    expect(text).toContain(CODES.failed);
  });

});
