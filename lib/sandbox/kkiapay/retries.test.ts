import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { startReceiver } from "@/lib/testing/http-host";
import { webhooksSettled } from "./notifications";
import { AUTRE_KEYS, openKkiapayWorld, type KkiapayWorld } from "./test-support";

describe.each(TEST_DATABASES)("KKiaPay webhook retries on $name", ({ open }) => {
  let database: Database;
  let world: KkiapayWorld;
  beforeAll(async () => {
    database = await open();
    world = await openKkiapayWorld(database);
  });
  afterAll(async () => {
    await webhooksSettled();
    await world.close();
    await database.close();
  });

  it("retries 5 times in a row at 500 ms incremental intervals on non-2xx, then gives up", async () => {
    // Demo's receiver fails the first 5 deliveries (a 302 counts as a failure too) and accepts
    // the 6th; autre's always fails. Both run at once to keep the file short.
    const arrivals: number[] = [];
    const recovering = await startReceiver((n) => {
      arrivals.push(performance.now());
      return n === 1 ? 302 : n < 6 ? 500 : 200;
    });
    const broken = await startReceiver(() => 500);
    try {
      await world.setWebhookUrl(recovering.url);
      await world.setWebhookUrl(broken.url, AUTRE_KEYS);
      const [paid] = await Promise.all([world.pay({ data: "CSRETRY000000001" }), world.pay({ data: "CSRETRY000000002", keys: AUTRE_KEYS })]);
      const [hooks] = await Promise.all([recovering.waitFor(6, 15_000), broken.waitFor(6, 15_000)]);
      expect(new Set(hooks.map((h) => h.body))).toEqual(new Set([hooks[0]!.body]));
      expect(JSON.parse(hooks[0]!.body).transactionId).toBe(paid.transactionId);

      const gaps = arrivals.slice(1).map((t, i) => t - arrivals[i]!);
      [500, 1000, 1500, 2000, 2500].forEach((expected, i) => {
        expect(gaps[i]).toBeGreaterThanOrEqual(expected - 20);
        expect(gaps[i]).toBeLessThan(expected + 450);
      });

      // Settled means both senders are done: nothing else can arrive after that.
      await webhooksSettled();
      expect(recovering.received).toHaveLength(6);
      expect(broken.received).toHaveLength(6);
      const deliveries = (await world.controlGet("deliveries?reference=CSRETRY000000001")).json as { attempt: number; responseStatus: number }[];
      expect(deliveries.map((d) => [d.attempt, d.responseStatus])).toEqual([
        [1, 302],
        [2, 500],
        [3, 500],
        [4, 500],
        [5, 500],
        [6, 200],
      ]);
    } finally {
      await recovering.close();
      await broken.close();
    }
  });
});
