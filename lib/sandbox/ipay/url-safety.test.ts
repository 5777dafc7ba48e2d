import { describe, expect, it } from "vitest";
import { backgroundSettled } from "@/lib/sandbox/deliver";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { FOREIGN_TARGETS, SCRIPT_URLS, loopbackOnlyFetch } from "@/lib/testing/url-safety";
import { answerPhone, chooseOutcome, deliveries, newOid, openCheckout, postJson, signedForm, signedTransact, startPush, useIpayWorld, vendor } from "./testing";

const autre = vendor("autre");
const APP = "https://caisse.example";

type DeliveryRow = { url: string; responseStatus: number | null; error: string | null; sentAt: string | null };

describe.each(TEST_DATABASES)("iPay simulator: the URLs it accepts and follows, on $name", ({ open }) => {
  const network = loopbackOnlyFetch();
  const env = useIpayWorld(open, { fetch: network.fetch, appOrigin: APP });

  it.each(SCRIPT_URLS)("refuses %s as cbk: the hosted form's error page, and the REST API's 400", async (url) => {
    const page = await openCheckout(env.world.base, signedForm(autre, { oid: newOid(), ttl: "100.00", cbk: url }));
    expect(page.status).toBe(400);
    expect(page.sessionUrl).toBe("");
    expect(page.body).toContain('data-testid="ipay-error"');
    const rest = await postJson(`${env.world.base}/payments/v2/transact`, signedTransact(autre, { oid: newOid(), amount: "100.00", cbk: url }));
    expect(rest.status).toBe(400);
    expect(rest.json).toEqual({ header_status: 400, status: 0, message: "Invalid callback url" });
  });

  it("redirects the shopper to a cbk on the app's origin, and calls a loopback cbk server to server", async () => {
    const opened = await openCheckout(env.world.base, signedForm(autre, { oid: newOid(), ttl: "100.00", cbk: `${APP}/api/ipay/return?p=1` }));
    const choice = await chooseOutcome(opened.sessionUrl, { outcome: "paid" });
    expect(choice.status).toBe(302);
    expect(choice.headers.get("location")).toMatch(/^https:\/\/caisse\.example\/api\/ipay\/return\?p=1&status=/);

    const before = env.receiver.received.length;
    const oid = newOid("S");
    const sid = await startPush(env.world.base, autre, oid, "100.00", `${env.receiver.url}/api/webhooks/ipay/autre`, "254711000901");
    await answerPhone(env.world.base, "254711000901", sid, "approve");
    const [callback] = (await env.receiver.waitFor(before + 1)).slice(before);
    expect(callback!.query.get("id")).toBe(oid);
  });

  it.each(FOREIGN_TARGETS)("never sends the shopper to a foreign cbk (%s), autopay or not", async (url) => {
    for (const autopay of ["0", "1"]) {
      const oid = newOid();
      const opened = await openCheckout(env.world.base, signedForm(autre, { oid, ttl: "100.00", cbk: url, autopay }));
      const choice = await chooseOutcome(opened.sessionUrl, { outcome: "paid" });
      expect(choice.headers.get("location")).toBeNull();
      expect(choice.status).toBe(200);
      expect(await choice.text()).toContain('data-testid="return-refused"');
      await backgroundSettled();
      expect(network.asked.some((asked) => asked.startsWith(url))).toBe(false);
      const log = await deliveries(env.world.base, autre, oid);
      expect(log).toHaveLength(autopay === "1" ? 1 : 0);
      for (const row of log as DeliveryRow[]) expect(row).toMatchObject({ responseStatus: null, sentAt: null, error: expect.stringMatching(/^refused/) });
    }
  });

  it.each(FOREIGN_TARGETS)("never calls a foreign cbk server to server after an STK push (%s)", async (url) => {
    const oid = newOid("S");
    const sid = await startPush(env.world.base, autre, oid, "100.00", url, "254711000902");
    expect((await answerPhone(env.world.base, "254711000902", sid, "approve")).status).toBe(303);
    await backgroundSettled();
    expect(network.asked.some((asked) => asked.startsWith(url))).toBe(false);
    const log = (await deliveries(env.world.base, autre, oid)) as DeliveryRow[];
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ responseStatus: null, sentAt: null, error: expect.stringMatching(/^refused/) });
    expect(log[0]!.url.startsWith(url)).toBe(true);
  });

  it("escapes the quotes of a refused cbk it names on the page", async () => {
    const url = `http://example.com/r?x="><script>alert(1)</script>&y='z'`;
    const opened = await openCheckout(env.world.base, signedForm(autre, { oid: newOid(), ttl: "100.00", cbk: url }));
    const html = await (await chooseOutcome(opened.sessionUrl, { outcome: "paid" })).text();
    expect(html).toContain('data-testid="return-refused"');
    expect(html).not.toContain("<script>alert(1)");
    expect(html).not.toMatch(/(href|action|src)="http:\/\/example\.com/);
  });
});
