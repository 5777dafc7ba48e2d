import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as s from "@/db/schema";
import { checkCredentials } from "@/lib/auth/credentials";
import { loadMerchantContext, type MerchantContext } from "@/lib/auth/membership";
import { decryptJson } from "@/lib/crypto";
import { testConnection } from "@/lib/payments/connection";
import { PROVIDER_IDS, type Mode, type ProviderId } from "@/lib/payments/types";
import { usePaymentsWorld } from "@/lib/testing/app-host";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { startHost } from "@/lib/testing/http-host";
import { seededCredentials } from "@/lib/testing/payments";
import { listNotifications } from "./queues";
import { STARTING_CONTRACTS } from "@/lib/payments/fees";
import { sendSandboxTestNotification, testAccountConnection, switchToBuiltInSandbox } from "./provider-connection";
import { saveProviderAccount, webhookUrl, type ConnectionTester } from "./settings";

/**
 * Connecting a provider from the settings, on a real database with the app's routes and the
 * simulators on one HTTP port. "Live" here is the simulator standing in as a staging host (what
 * CINETPAY_API_URL and its siblings are for), so that live keys can be right or wrong; a closed
 * port plays a provider that is down.
 */
const form = { provider: "cinetpay", enabled: "on", feeRate: "3,5", feeFixed: "0", settlementDelayDays: "2" };
const BAD = { live_cred_apiKey: "wrong_live_apikey_5f1e", live_cred_siteId: "771002", live_cred_secretKey: "wrong_live_secret_88aa" };

describe.each(TEST_DATABASES)("connecting a provider on $name", ({ open }) => {
  const world = usePaymentsWorld(open);
  let owner: MerchantContext;
  let staff: MerchantContext;
  let autre: MerchantContext;
  let closed: string;
  const ctxOf = async (email: string, password: string) => (await loadMerchantContext(world.database.db, (await checkCredentials(world.database.db, { email, password }))!.id))!;
  const row = async (merchantId: string, provider: ProviderId) =>
    (await world.database.db.select().from(s.providerAccounts).where(and(eq(s.providerAccounts.merchantId, merchantId), eq(s.providerAccounts.provider, provider))))[0] ?? null;
  const sandboxUrls = (provider: ProviderId) => world.app.deps().urlsFor(provider, "sandbox");
  /** Live calls go to the simulator as a staging host; `down` sends them to a closed port. */
  const tester = (down = false): ConnectionTester => (provider, mode: Mode, credentials) =>
    testConnection({ urlsFor: (p) => (down ? { api: closed } : sandboxUrls(p)), timeoutMs: 3_000 }, provider, mode, credentials);
  const notifyDeps = (slug: string) => ({ sandboxBase: (p: ProviderId) => `${world.app.url}/sandbox/${p}`, webhookUrl: (p: ProviderId) => webhookUrl(world.app.url, p, slug) });

  beforeAll(async () => {
    owner = await ctxOf("owner@demo.test", "demo-password");
    staff = await ctxOf("staff@demo.test", "staff-password");
    autre = await ctxOf("owner@autre.test", "autre-password");
    const gone = await startHost(() => new Response("bye"));
    await gone.close();
    closed = gone.url;
  });

  it("refuses live keys the provider refuses, at the field, unless saved anyway", async () => {
    const before = await row(owner.merchant.id, "cinetpay");
    const refused = await saveProviderAccount(world.database.db, TEST_ENCRYPTION_KEY, owner, { ...form, mode: "live", ...BAD }, tester());
    expect(refused).toEqual({ ok: false, error: "connection_refused", fieldErrors: { live_connection: "connection_refused" } });
    expect(await row(owner.merchant.id, "cinetpay")).toEqual(before);

    const unreachable = await saveProviderAccount(world.database.db, TEST_ENCRYPTION_KEY, owner, { ...form, mode: "live", ...BAD }, tester(true));
    expect(unreachable).toMatchObject({ ok: false, error: "connection_unreachable", fieldErrors: { live_connection: "connection_unreachable" } });
    expect(await row(owner.merchant.id, "cinetpay")).toEqual(before);

    expect(await saveProviderAccount(world.database.db, TEST_ENCRYPTION_KEY, owner, { ...form, mode: "live", ...BAD, override: "on" }, tester())).toEqual({ ok: true });
    const saved = await row(owner.merchant.id, "cinetpay");
    expect(saved).toMatchObject({ mode: "live", livePublicId: "771002", sandboxCredentialsEncrypted: before!.sandboxCredentialsEncrypted });
    expect(decryptJson(saved!.liveCredentialsEncrypted!, TEST_ENCRYPTION_KEY)).toEqual({ apiKey: BAD.live_cred_apiKey, siteId: "771002", secretKey: BAD.live_cred_secretKey });
    expect(JSON.stringify(saved)).not.toContain(BAD.live_cred_apiKey);
  });

  it("stores live keys that work without asking, and one retyped field over the stored set", async () => {
    // The demo's sandbox keys are keys the stand-in knows: they pass the test.
    const good = seededCredentials("demo", "cinetpay");
    const typed = { live_cred_apiKey: good.apiKey!, live_cred_siteId: "771002", live_cred_secretKey: good.secretKey! };
    // Site 771002 (stored above) is not one the provider knows with this apikey: refused.
    expect(await saveProviderAccount(world.database.db, TEST_ENCRYPTION_KEY, owner, { ...form, mode: "live", ...typed }, tester())).toMatchObject({ error: "connection_refused" });
    // Only the site id retyped: the stored apikey and secret complete it, and it works.
    await saveProviderAccount(world.database.db, TEST_ENCRYPTION_KEY, owner, { ...form, mode: "live", ...typed, override: "on" }, tester());
    expect(await saveProviderAccount(world.database.db, TEST_ENCRYPTION_KEY, owner, { ...form, mode: "live", live_cred_siteId: good.siteId! }, tester())).toEqual({ ok: true });
    const saved = await row(owner.merchant.id, "cinetpay");
    expect(decryptJson(saved!.liveCredentialsEncrypted!, TEST_ENCRYPTION_KEY)).toEqual(good);
    // Blank live fields: nothing new to test, the stored set is kept as is.
    expect(await saveProviderAccount(world.database.db, TEST_ENCRYPTION_KEY, owner, { ...form, mode: "live", feeRate: "3" }, tester(true))).toEqual({ ok: true });
  });

  it("tests typed or stored keys without storing anything, in plain outcomes", async () => {
    const before = await row(owner.merchant.id, "cinetpay");
    const test = (input: Record<string, unknown>, down = false) => testAccountConnection(world.database.db, TEST_ENCRYPTION_KEY, owner, { provider: "cinetpay", ...input }, tester(down));
    expect(await test({ mode: "sandbox" })).toMatchObject({ ok: true, connection: { outcome: "works" } });
    expect(await test({ mode: "live", live_cred_apiKey: "nope" })).toMatchObject({ ok: true, connection: { outcome: "refused" } });
    expect(await test({ mode: "live" }, true)).toMatchObject({ ok: true, connection: { outcome: "unreachable" } });
    expect(await test({ mode: "live", live_cred_siteId: "not digits" })).toMatchObject({ ok: false, fieldErrors: { live_cred_siteId: "credential_invalid" } });
    expect(await row(owner.merchant.id, "cinetpay")).toEqual(before);
  });

  it.each(PROVIDER_IDS)("%s: the sandbox in one click, a good test, and a test notification in the store's log", async (provider) => {
    const demoBefore = await row(owner.merchant.id, provider);
    await world.database.db.delete(s.providerAccounts).where(and(eq(s.providerAccounts.merchantId, autre.merchant.id), eq(s.providerAccounts.provider, provider)));

    expect(await switchToBuiltInSandbox(world.database.db, TEST_ENCRYPTION_KEY, autre, { provider })).toEqual({ ok: true, generated: true });
    const created = await row(autre.merchant.id, provider);
    // A new account starts from the provider's typical contract, so fee and net estimates mean something.
    expect(created).toMatchObject({ mode: "sandbox", enabled: true, livePublicId: null, ...STARTING_CONTRACTS[provider] });
    // A second click keeps the keys (payments made with them are asked about with them).
    expect(await switchToBuiltInSandbox(world.database.db, TEST_ENCRYPTION_KEY, autre, { provider })).toEqual({ ok: true, generated: false });
    expect((await row(autre.merchant.id, provider))!.sandboxCredentialsEncrypted).toBe(created!.sandboxCredentialsEncrypted);

    const tested = await testAccountConnection(world.database.db, TEST_ENCRYPTION_KEY, autre, { provider, mode: "sandbox" }, tester());
    expect(tested).toMatchObject({ ok: true, connection: { outcome: "works" } });

    const logged = (await listNotifications(world.database.db, autre.merchant.id)).rows.filter((n) => n.provider === provider).length;
    const sent = await sendSandboxTestNotification(world.database.db, TEST_ENCRYPTION_KEY, autre, { provider }, notifyDeps("autre"));
    // The app answered: no payment has the test's reference, which is what the log says too.
    expect(sent).toEqual({ ok: true, status: 404 });
    const rows = (await listNotifications(world.database.db, autre.merchant.id)).rows.filter((n) => n.provider === provider);
    expect(rows).toHaveLength(logged + 1);
    expect(rows[0]).toMatchObject({ verdict: "rejected", lastError: "unknown payment", paymentId: null });

    // Nothing of it touched the other store.
    expect(await row(owner.merchant.id, provider)).toEqual(demoBefore);
  });

  it("is the owner's alone, and each store acts on its own accounts only", async () => {
    const demoRows = await Promise.all(PROVIDER_IDS.map((p) => row(owner.merchant.id, p)));
    const demoLog = (await listNotifications(world.database.db, owner.merchant.id)).rows.length;
    expect(await switchToBuiltInSandbox(world.database.db, TEST_ENCRYPTION_KEY, staff, { provider: "kkiapay" })).toEqual({ ok: false, error: "forbidden" });
    expect(await testAccountConnection(world.database.db, TEST_ENCRYPTION_KEY, staff, { provider: "kkiapay", mode: "sandbox" }, tester())).toEqual({ ok: false, error: "forbidden" });
    expect(await sendSandboxTestNotification(world.database.db, TEST_ENCRYPTION_KEY, staff, { provider: "kkiapay" }, notifyDeps("demo"))).toEqual({ ok: false, error: "forbidden" });
    expect(await saveProviderAccount(world.database.db, TEST_ENCRYPTION_KEY, staff, { ...form, mode: "sandbox" }, tester())).toEqual({ ok: false, error: "forbidden" });

    // autre's owner, whatever the form names, changes autre's accounts: demo's rows and log stay as they were.
    for (const provider of PROVIDER_IDS) {
      await switchToBuiltInSandbox(world.database.db, TEST_ENCRYPTION_KEY, autre, { provider, merchantId: owner.merchant.id });
      await saveProviderAccount(world.database.db, TEST_ENCRYPTION_KEY, autre, { ...form, provider, mode: "sandbox", merchantId: owner.merchant.id, feeRate: "9,99" }, tester());
    }
    // A test notification autre asks for is sent with autre's keys to autre's URL, and logged there.
    await sendSandboxTestNotification(world.database.db, TEST_ENCRYPTION_KEY, autre, { provider: "cinetpay" }, notifyDeps("autre"));
    expect(await Promise.all(PROVIDER_IDS.map((p) => row(owner.merchant.id, p)))).toEqual(demoRows);
    expect((await listNotifications(world.database.db, owner.merchant.id)).rows.length).toBe(demoLog);
  });
});
