import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { startHost, type Host } from "@/lib/testing/http-host";
import { seededCredentials } from "@/lib/testing/payments";
import { testConnection } from "./connection";
import { PROVIDER_IDS, type ProviderId } from "./types";
import { providerUrls } from "./urls";

/**
 * "Test connection" of each provider against its simulator over real HTTP: the seeded demo
 * sandbox keys work, the same keys with one secret changed are refused, and a provider that
 * cannot be reached (a closed port, a 503) is told apart from both.
 */

/** The demo's sandbox keys with the one the probe authenticates by changed. */
const WRONG: Record<ProviderId, string> = { cinetpay: "apiKey", "orange-money": "clientSecret", kkiapay: "privateKey", ipay: "securityKey" };
/** …and with the account's identifier changed to one no sandbox account has. */
const UNKNOWN: Record<ProviderId, [string, string]> = { cinetpay: ["siteId", "909090909"], "orange-money": ["clientId", "no_such_client"], kkiapay: ["publicKey", "pk_no_such_key"], ipay: ["vendorId", "nosuchvendor"] };

const sandboxAt = (base: string) => (provider: ProviderId) => providerUrls(provider, "sandbox", { ...parseEnv({}), APP_URL: base });

async function closedPort(): Promise<string> {
  const host = await startHost(() => new Response("bye"));
  await host.close();
  return host.url;
}

describe.each(TEST_DATABASES)("testConnection against the simulators on $name", ({ open }) => {
  const world = usePaymentsWorld(open);
  let down: string;
  let failing: Host;

  beforeAll(async () => {
    down = await closedPort();
    failing = await startHost(() => new Response("upstream error", { status: 503 }));
  });
  afterAll(() => failing?.close());

  describe.each(PROVIDER_IDS)("%s", (provider) => {
    const good = () => seededCredentials("demo", provider);
    const urlsFor = () => sandboxAt(world.app.url);

    it("works with the sandbox keys", async () => {
      const result = await testConnection({ urlsFor: urlsFor() }, provider, "sandbox", good());
      expect(result.outcome, result.detail).toBe("works");
    });

    it("is refused with a wrong key, and with an unknown account", async () => {
      const wrong = await testConnection({ urlsFor: urlsFor() }, provider, "sandbox", { ...good(), [WRONG[provider]]: "not-the-right-one" });
      expect(wrong.outcome, wrong.detail).toBe("refused");
      const [field, value] = UNKNOWN[provider];
      const other = await testConnection({ urlsFor: urlsFor() }, provider, "sandbox", { ...good(), [field]: value });
      expect(other.outcome, other.detail).toBe("refused");
      expect(JSON.stringify([wrong, other])).not.toContain(good()[WRONG[provider]]!);
    });

    it("is unreachable on a closed port and on a 503, quickly", async () => {
      const started = Date.now();
      const closed = await testConnection({ urlsFor: sandboxAt(down), timeoutMs: 3_000 }, provider, "sandbox", good());
      expect(closed.outcome, closed.detail).toBe("unreachable");
      const unavailable = await testConnection({ urlsFor: sandboxAt(failing.url) }, provider, "sandbox", good());
      expect(unavailable).toMatchObject({ outcome: "unreachable", httpStatus: 503 });
      expect(Date.now() - started).toBeLessThan(5_000);
    });
  });
});
