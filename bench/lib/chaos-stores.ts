import type { Db } from "@/db/client";
import type { SeedMerchant } from "@/db/seed-data";
import { upsertMerchant } from "@/db/seed";

/**
 * The chaos run's stores: a real deployment serves many merchants, each with provider accounts
 * (and so status-API budgets) of its own. `count` Ivorian stores, each with a CinetPay and a
 * KKiaPay account in sandbox mode, whose credentials only the bench and the simulator know.
 */
export type ChaosStore = { slug: string; cinetpaySecret: string; kkiapaySecret: string; kkiapayPublicId: string };

export async function seedChaosStores(db: Db, encryptionKey: string, count: number): Promise<ChaosStore[]> {
  const stores: ChaosStore[] = [];
  for (let i = 1; i <= count; i++) {
    const n = String(i).padStart(2, "0");
    const slug = `chaos${n}`;
    const cinetpay = { apiKey: `sbx_cp_${slug}_apikey`, siteId: `7700${n}`, secretKey: `sbx_cp_${slug}_secret` };
    const kkiapay = { publicKey: `sbx_kk_${slug}_public`, privateKey: `sbx_kk_${slug}_private`, secretKey: `sbx_kk_${slug}_secret` };
    const fees = { feeRateBps: 350, feeFixedMinor: 0, settlementDelayDays: 2 };
    const store: SeedMerchant = {
      slug,
      name: `Boutique chaos ${n}`,
      country: "CI",
      currency: "XOF",
      defaultLocale: "fr",
      users: [],
      products: [],
      accounts: [
        { provider: "cinetpay", publicId: cinetpay.siteId, credentials: cinetpay, ...fees },
        { provider: "kkiapay", publicId: kkiapay.publicKey, credentials: kkiapay, ...fees },
      ],
      links: [],
      history: [],
    };
    await upsertMerchant(db, store, encryptionKey);
    stores.push({ slug, cinetpaySecret: cinetpay.secretKey, kkiapaySecret: kkiapay.secretKey, kkiapayPublicId: kkiapay.publicKey });
  }
  return stores;
}
