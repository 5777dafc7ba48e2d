import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import * as s from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { checkCredentials } from "@/lib/auth/credentials";
import { loadMerchantContext, type MerchantContext } from "@/lib/auth/membership";
import { decryptJson } from "@/lib/crypto";
import { TEST_DATABASES, TEST_ENCRYPTION_KEY } from "@/lib/testing/databases";
import { seededCredentials } from "@/lib/testing/payments";
import { listProviderAccounts, saveProviderAccount } from "./settings";

/** Provider account settings: a sandbox and a live credential set side by side, and the mode choosing. */
const LIVE = { apiKey: "live_cp_apikey_41d9", siteId: "771001", secretKey: "live_cp_secret_a3f6" };
const liveTyped = { live_cred_apiKey: LIVE.apiKey, live_cred_siteId: LIVE.siteId, live_cred_secretKey: LIVE.secretKey };
const form = { provider: "cinetpay", enabled: "on", feeRate: "3,5", feeFixed: "0", settlementDelayDays: "2" };

describe.each(TEST_DATABASES)("provider account credential sets on $name", ({ open }) => {
  let database: Database;
  let owner: MerchantContext;
  let staff: MerchantContext;
  let autre: MerchantContext;
  const ctxOf = async (email: string, password: string) => (await loadMerchantContext(database.db, (await checkCredentials(database.db, { email, password }))!.id))!;
  const stored = async (merchantId: string, provider: "cinetpay" | "orange-money" = "cinetpay") =>
    (await database.db.select().from(s.providerAccounts).where(and(eq(s.providerAccounts.merchantId, merchantId), eq(s.providerAccounts.provider, provider))))[0]!;

  beforeAll(async () => {
    database = await open();
    await seedDemo(database.db, { encryptionKey: TEST_ENCRYPTION_KEY, orders: 0 });
    owner = await ctxOf("owner@demo.test", "demo-password");
    staff = await ctxOf("staff@demo.test", "staff-password");
    autre = await ctxOf("owner@autre.test", "autre-password");
  });
  afterAll(() => database?.close());

  it("gives the seeded accounts their sandbox set only", async () => {
    const row = await stored(owner.merchant.id);
    expect(row).toMatchObject({ mode: "sandbox", sandboxPublicId: "445160", livePublicId: null, liveCredentialsEncrypted: null });
    expect(decryptJson(row.sandboxCredentialsEncrypted!, TEST_ENCRYPTION_KEY)).toEqual(seededCredentials("demo", "cinetpay"));
  });

  it("takes the fee rate as the percentage a rate card shows, stored in basis points, and says at the field what is wrong", async () => {
    const before = await stored(owner.merchant.id);
    for (const [typed, bps] of [["3,5", 350], ["2.75 %", 275], ["0,29", 29], ["1.15%", 115]] as const) {
      expect(await saveProviderAccount(database.db, TEST_ENCRYPTION_KEY, owner, { ...form, mode: "sandbox", feeRate: typed })).toEqual({ ok: true });
      expect((await stored(owner.merchant.id)).feeRateBps).toBe(bps);
    }
    for (const [typed, code] of [["3,555", "fee_rate_precision"], ["-1", "fee_rate_range"], ["100,5", "fee_rate_range"], ["350", "fee_rate_range"], ["3,5,0", "fee_rate_invalid"], ["1e308", "fee_rate_invalid"]] as const) {
      expect(await saveProviderAccount(database.db, TEST_ENCRYPTION_KEY, owner, { ...form, mode: "sandbox", feeRate: typed })).toEqual({ ok: false, error: "invalid_input", fieldErrors: { feeRate: code } });
    }
    expect((await stored(owner.merchant.id)).feeRateBps).toBe(115);
    expect(await saveProviderAccount(database.db, TEST_ENCRYPTION_KEY, owner, { ...form, mode: "sandbox" })).toEqual({ ok: true });
    expect(await stored(owner.merchant.id)).toMatchObject({ feeRateBps: 350, sandboxCredentialsEncrypted: before.sandboxCredentialsEncrypted });
  });

  it("refuses staff, and a switch to a mode that has no credentials", async () => {
    const before = await stored(owner.merchant.id);
    expect(await saveProviderAccount(database.db, TEST_ENCRYPTION_KEY, staff, { ...form, mode: "sandbox", ...liveTyped })).toEqual({ ok: false, error: "forbidden" });
    expect(await saveProviderAccount(database.db, TEST_ENCRYPTION_KEY, owner, { ...form, mode: "live" })).toMatchObject({ ok: false, fieldErrors: { mode: "mode_without_credentials" } });
    expect(await stored(owner.merchant.id)).toEqual(before);
  });

  it("stores the live set encrypted beside the sandbox one, then switches to it", async () => {
    const sandboxBefore = (await stored(owner.merchant.id)).sandboxCredentialsEncrypted;
    const partial = await saveProviderAccount(database.db, TEST_ENCRYPTION_KEY, owner, { ...form, mode: "live", live_cred_apiKey: LIVE.apiKey });
    expect(partial).toMatchObject({ ok: false, fieldErrors: { live_cred_siteId: "credential_invalid", live_cred_secretKey: "credential_invalid" } });
    expect(JSON.stringify(partial)).not.toContain(LIVE.apiKey);

    // Typed while still in sandbox: stored, not yet used.
    expect(await saveProviderAccount(database.db, TEST_ENCRYPTION_KEY, owner, { ...form, mode: "sandbox", ...liveTyped })).toEqual({ ok: true });
    const saved = await stored(owner.merchant.id);
    expect(saved).toMatchObject({ mode: "sandbox", sandboxPublicId: "445160", livePublicId: LIVE.siteId, sandboxCredentialsEncrypted: sandboxBefore });
    const dump = JSON.stringify(saved);
    for (const secret of [LIVE.apiKey, LIVE.secretKey, seededCredentials("demo", "cinetpay").secretKey!]) expect(dump).not.toContain(secret);
    expect(decryptJson(saved.liveCredentialsEncrypted!, TEST_ENCRYPTION_KEY)).toEqual(LIVE);

    // Blank fields keep both sets; the mode alone moves.
    expect(await saveProviderAccount(database.db, TEST_ENCRYPTION_KEY, owner, { ...form, mode: "live" })).toEqual({ ok: true });
    const switched = await stored(owner.merchant.id);
    expect(switched).toMatchObject({ mode: "live", sandboxCredentialsEncrypted: sandboxBefore, liveCredentialsEncrypted: saved.liveCredentialsEncrypted });

    const listed = (await listProviderAccounts(database.db, owner.merchant.id)).find((a) => a.provider === "cinetpay");
    expect(listed).toMatchObject({ mode: "live", sandboxPublicId: "445160", livePublicId: LIVE.siteId });
    expect(JSON.stringify(await listProviderAccounts(database.db, owner.merchant.id))).not.toMatch(/encrypted|apikey|secret/i);
  });

  it("deletes only a set the active mode does not use", async () => {
    expect(await saveProviderAccount(database.db, TEST_ENCRYPTION_KEY, owner, { ...form, mode: "live", live_forget: "on" })).toMatchObject({
      ok: false,
      fieldErrors: { live_forget: "credentials_in_use" },
    });
    expect(await saveProviderAccount(database.db, TEST_ENCRYPTION_KEY, owner, { ...form, mode: "sandbox", sandbox_forget: "on" })).toMatchObject({
      ok: false,
      fieldErrors: { sandbox_forget: "credentials_in_use" },
    });
    expect(await saveProviderAccount(database.db, TEST_ENCRYPTION_KEY, owner, { ...form, mode: "live", sandbox_forget: "on" })).toEqual({ ok: true });
    expect(await stored(owner.merchant.id)).toMatchObject({ mode: "live", sandboxPublicId: null, sandboxCredentialsEncrypted: null, livePublicId: LIVE.siteId });
    // Now back to sandbox needs a sandbox set first.
    expect(await saveProviderAccount(database.db, TEST_ENCRYPTION_KEY, owner, { ...form, mode: "sandbox" })).toMatchObject({ ok: false, fieldErrors: { mode: "mode_without_credentials" } });
  });

  it("keeps each store to its own accounts, and a provider account to one store", async () => {
    const demoBefore = await stored(owner.merchant.id);
    const autreBefore = await stored(autre.merchant.id);
    // autre typing demo's live site id: that CinetPay account already belongs to demo.
    const taken = await saveProviderAccount(database.db, TEST_ENCRYPTION_KEY, autre, { ...form, mode: "sandbox", live_cred_apiKey: "x", live_cred_siteId: LIVE.siteId, live_cred_secretKey: "y" });
    expect(taken).toEqual({ ok: false, error: "public_id_taken" });
    expect(await saveProviderAccount(database.db, TEST_ENCRYPTION_KEY, autre, { ...form, mode: "sandbox", feeRate: "1,11" })).toEqual({ ok: true });
    expect(await stored(owner.merchant.id)).toEqual(demoBefore);
    expect(await stored(autre.merchant.id)).toMatchObject({ feeRateBps: 111, sandboxCredentialsEncrypted: autreBefore.sandboxCredentialsEncrypted, livePublicId: null });
  });

  it("creates a live-only account when the merchant starts in live", async () => {
    await database.db.delete(s.providerAccounts).where(and(eq(s.providerAccounts.merchantId, autre.merchant.id), eq(s.providerAccounts.provider, "orange-money")));
    const om = { provider: "orange-money", enabled: "on", feeRate: "2", feeFixed: "0", settlementDelayDays: "1" };
    const typed = { live_cred_clientId: "live_om_client", live_cred_clientSecret: "live_om_secret_91", live_cred_merchantKey: "f00dcafe" };
    expect(await saveProviderAccount(database.db, TEST_ENCRYPTION_KEY, autre, { ...om, mode: "sandbox", ...typed })).toMatchObject({ ok: false, fieldErrors: { mode: "mode_without_credentials" } });
    expect(await saveProviderAccount(database.db, TEST_ENCRYPTION_KEY, autre, { ...om, mode: "live", ...typed })).toEqual({ ok: true });
    expect(await stored(autre.merchant.id, "orange-money")).toMatchObject({ mode: "live", livePublicId: "f00dcafe", sandboxPublicId: null, sandboxCredentialsEncrypted: null });
  });
});
