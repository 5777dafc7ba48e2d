import { describe, expect, it } from "vitest";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { answerPhone, chooseOutcome, newOid, openCheckout, signedForm, startPush, useIpayWorld, vendor } from "./testing";

const autre = vendor("autre");
const demo = vendor("demo");
const CODES = { paid: "aei7p7yrx4ae34", pending: "bdi6p2yy76etrs", failed: "fe2707etr5s4wq", used: "cr5i3pgy9867e1", less: "dtfi4p7yty45wq", more: "eq3i7p5yt7645e" };
const IPN_IDS = ["id", "ivm", "qwh", "afd", "poi", "uyt", "ifd"] as const;

describe.each(TEST_DATABASES)("iPay IPN on $name", ({ open }) => {
  const env = useIpayWorld(open);

  /** The hosted checkout to `outcome`; resolves to the callback query the merchant's cbk got. */
  async function callbackFor(outcome: keyof typeof CODES, oid = newOid("I")): Promise<URLSearchParams> {
    const opened = await openCheckout(env.world.base, signedForm(autre, { oid, ttl: "1250.00", cbk: `${env.receiver.url}/return` }));
    const chosen = await chooseOutcome(opened.sessionUrl, { outcome });
    return new URL(chosen.headers.get("location")!).searchParams;
  }

  /** The IPN asked like a merchant: the vendor id and the callback's seven ids, as plain text back. */
  async function ipn(v: { vid: string }, ids: Record<string, string>): Promise<string> {
    const query = new URLSearchParams({ vendor: v.vid });
    for (const k of IPN_IDS) if (ids[k] !== undefined) query.set(k, ids[k]);
    const res = await fetch(`${env.world.base}/ipn/?${query}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    return res.text();
  }

  const idsOf = (callback: URLSearchParams) => Object.fromEntries(IPN_IDS.map((k) => [k, callback.get(k) ?? ""]));

  it.each(Object.keys(CODES) as (keyof typeof CODES)[])("answers the code of a %s callback for its ids", async (outcome) => {
    const callback = await callbackFor(outcome);
    for (const k of IPN_IDS) expect(callback.get(k)).toBeTruthy();
    expect(callback.get("status")).toBe(CODES[outcome]);
    expect(await ipn(autre, idsOf(callback))).toBe(CODES[outcome]);
  });

  it("answers for an STK push's server-side callback: approved is paid, declined is failed", async () => {
    for (const [action, code] of [
      ["approve", CODES.paid],
      ["cancelled", CODES.failed],
    ] as const) {
      const oid = newOid("P");
      const sid = await startPush(env.world.base, autre, oid, "100.00", `${env.receiver.url}/api/webhooks/ipay/autre`, "254711000300");
      const before = env.receiver.received.length;
      await answerPhone(env.world.base, "254711000300", sid, action);
      const [callback] = (await env.receiver.waitFor(before + 1)).slice(before);
      expect(callback!.query.get("id")).toBe(oid);
      expect(await ipn(autre, idsOf(callback!.query))).toBe(code);
    }
  });

  it("never confirms ids it did not issue: made-up, mixed, another order's, another vendor's, or incomplete", async () => {
    const paid = idsOf(await callbackFor("paid"));
    const other = idsOf(await callbackFor("more"));
    const unpaidOid = newOid("U");
    await openCheckout(env.world.base, signedForm(autre, { oid: unpaidOid, ttl: "1250.00", cbk: `${env.receiver.url}/return` }));

    const forgeries: [string, { vid: string }, Record<string, string>][] = [
      ["made-up ids for a paid order", autre, { ...paid, qwh: "1", afd: "2", poi: "3", uyt: "4", ifd: "5" }],
      ["one id from another callback", autre, { ...paid, uyt: other.uyt! }],
      ["a paid callback's ids under an unpaid order's id", autre, { ...paid, id: unpaidOid, ivm: unpaidOid }],
      ["a paid callback's ids under an order never opened", autre, { ...paid, id: newOid("N"), ivm: "X" }],
      ["a paid callback's ids asked by another vendor", demo, paid],
      ["a paid callback's ids without ivm", autre, { ...paid, ivm: "" }],
      ["a paid callback's id alone", autre, { id: paid.id! }],
    ];
    for (const [what, v, ids] of forgeries) expect({ what, answer: await ipn(v, ids) }).toEqual({ what, answer: CODES.failed });
    // The genuine ids still answer the truth.
    expect(await ipn(autre, paid)).toBe(CODES.paid);
  });
});
