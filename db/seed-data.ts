/**
 * The demo world: two merchants, their people, catalogs and sandbox provider accounts.
 * Sandbox credentials are fixed so the simulators, the README and the tests agree on them;
 * they only ever open the built-in sandbox, never a real provider.
 */
export type SeedProvider = "cinetpay" | "orange-money" | "kkiapay" | "ipay";

export type SeedMerchant = {
  slug: string;
  name: string;
  country: string;
  currency: "XOF" | "KES";
  defaultLocale: "fr" | "en";
  users: { email: string; name: string; password: string; role: "owner" | "staff" }[];
  products: { sku: string; name: string; description: string; image: string; priceMinor: number }[];
  /** In sandbox mode, with their sandbox credential set only (`publicId`, `credentials`). */
  accounts: {
    provider: SeedProvider;
    publicId: string;
    credentials: Record<string, string>;
    feeRateBps: number;
    feeFixedMinor: number;
    settlementDelayDays: number;
  }[];
  /** Shareable payment links; fixed ids so the README and tests can point at them. */
  links: { id: string; title: string; description: string; amountMinor: number | null }[];
  /** Which provider and method pay the historical orders, with relative weights. */
  history: { provider: SeedProvider; method: string; weight: number }[];
};

export const SEED_MERCHANTS: SeedMerchant[] = [
  {
    slug: "demo",
    name: "Boutique Démo",
    country: "CI",
    currency: "XOF",
    defaultLocale: "fr",
    users: [
      { email: "owner@demo.test", name: "Awa Koné", password: "demo-password", role: "owner" },
      { email: "staff@demo.test", name: "Yao Kouassi", password: "staff-password", role: "staff" },
    ],
    products: [
      { sku: "PAGNE-WAX", name: "Pagne wax 6 yards", description: "Coton imprimé, motifs traditionnels", image: "/products/pagne.svg", priceMinor: 15000 },
      { sku: "ATTIEKE-1KG", name: "Attiéké 1 kg", description: "Semoule de manioc fraîche", image: "/products/attieke.svg", priceMinor: 1500 },
      { sku: "CAFE-TOUBA", name: "Café Touba 500 g", description: "Café épicé au poivre de Guinée", image: "/products/cafe.svg", priceMinor: 2500 },
      { sku: "SAC-RAPHIA", name: "Sac en raphia", description: "Tressé à la main à Korhogo", image: "/products/sac.svg", priceMinor: 8500 },
      { sku: "BEURRE-KARITE", name: "Beurre de karité 250 g", description: "Pur, non raffiné", image: "/products/karite.svg", priceMinor: 3000 },
    ],
    accounts: [
      {
        provider: "cinetpay",
        publicId: "445160",
        credentials: { apiKey: "sbx_cp_demo_apikey_6f1c2a9e", siteId: "445160", secretKey: "sbx_cp_demo_secret_0b7d4e21" },
        feeRateBps: 350,
        feeFixedMinor: 0,
        settlementDelayDays: 2,
      },
      {
        provider: "orange-money",
        publicId: "a86b2087",
        credentials: { clientId: "sbx_om_demo_client", clientSecret: "sbx_om_demo_secret_93ac", merchantKey: "a86b2087" },
        feeRateBps: 200,
        feeFixedMinor: 0,
        settlementDelayDays: 1,
      },
      {
        provider: "kkiapay",
        publicId: "sbx_kk_demo_public_5d2e",
        credentials: { publicKey: "sbx_kk_demo_public_5d2e", privateKey: "sbx_kk_demo_private_8a1f", secretKey: "sbx_kk_demo_secret_c47b" },
        feeRateBps: 190,
        feeFixedMinor: 0,
        settlementDelayDays: 2,
      },
      {
        provider: "ipay",
        publicId: "demoxof",
        credentials: { vendorId: "demoxof", securityKey: "sbx_ipay_demo_key_71e0" },
        feeRateBps: 350,
        feeFixedMinor: 0,
        settlementDelayDays: 1,
      },
    ],
    links: [
      { id: "lnk_demoAbonnementMensuel01", title: "Abonnement mensuel", description: "Panier de produits livré chaque mois", amountMinor: 10000 },
      { id: "lnk_demoMontantLibre000001", title: "Acompte sur commande", description: "Vous choisissez le montant", amountMinor: null },
    ],
    history: [
      { provider: "cinetpay", method: "orange_money", weight: 24 },
      { provider: "cinetpay", method: "mtn", weight: 18 },
      { provider: "cinetpay", method: "moov", weight: 8 },
      { provider: "cinetpay", method: "wave", weight: 14 },
      { provider: "cinetpay", method: "card", weight: 6 },
      { provider: "orange-money", method: "orange_money", weight: 16 },
      { provider: "kkiapay", method: "mtn", weight: 8 },
      { provider: "kkiapay", method: "moov", weight: 6 },
    ],
  },
  {
    slug: "autre",
    name: "Duka la Autre",
    country: "KE",
    currency: "KES",
    defaultLocale: "en",
    users: [{ email: "owner@autre.test", name: "Wanjiru Kamau", password: "autre-password", role: "owner" }],
    products: [
      { sku: "KIKOY", name: "Kikoy beach wrap", description: "Hand-woven cotton from Mombasa", image: "/products/kikoy.svg", priceMinor: 125000 },
      { sku: "CHAI-500", name: "Kericho tea 500 g", description: "Black CTC tea", image: "/products/tea.svg", priceMinor: 45000 },
      { sku: "KIONDO", name: "Kiondo basket", description: "Sisal basket with leather straps", image: "/products/kiondo.svg", priceMinor: 280000 },
      { sku: "SHUKA", name: "Maasai shuka", description: "Red checked blanket", image: "/products/shuka.svg", priceMinor: 150000 },
    ],
    accounts: [
      {
        provider: "cinetpay",
        publicId: "445161",
        credentials: { apiKey: "sbx_cp_autre_apikey_2c8d", siteId: "445161", secretKey: "sbx_cp_autre_secret_9e14" },
        feeRateBps: 350,
        feeFixedMinor: 0,
        settlementDelayDays: 2,
      },
      {
        provider: "orange-money",
        publicId: "b42c7d19",
        credentials: { clientId: "sbx_om_autre_client", clientSecret: "sbx_om_autre_secret_5f0b", merchantKey: "b42c7d19" },
        feeRateBps: 200,
        feeFixedMinor: 0,
        settlementDelayDays: 1,
      },
      {
        provider: "kkiapay",
        publicId: "sbx_kk_autre_public_3b9a",
        credentials: { publicKey: "sbx_kk_autre_public_3b9a", privateKey: "sbx_kk_autre_private_d2c6", secretKey: "sbx_kk_autre_secret_71fa" },
        feeRateBps: 190,
        feeFixedMinor: 0,
        settlementDelayDays: 2,
      },
      {
        provider: "ipay",
        publicId: "autre",
        credentials: { vendorId: "autre", securityKey: "sbx_ipay_autre_key_48d3" },
        feeRateBps: 300,
        feeFixedMinor: 1000,
        settlementDelayDays: 1,
      },
    ],
    links: [{ id: "lnk_autreDeposit0000000001", title: "Deposit", description: "Pay any amount towards your order", amountMinor: null }],
    history: [
      { provider: "ipay", method: "mpesa", weight: 70 },
      { provider: "ipay", method: "airtel", weight: 15 },
      { provider: "ipay", method: "card", weight: 15 },
    ],
  },
];

export const SEED_CUSTOMERS: Record<string, { name: string; email: string; phone: string }[]> = {
  CI: [
    { name: "Aminata Traoré", email: "aminata.traore@example.ci", phone: "+2250707070707" },
    { name: "Koffi Yao", email: "koffi.yao@example.ci", phone: "+2250505050505" },
    { name: "Fatou Diallo", email: "fatou.diallo@example.ci", phone: "+2250101010101" },
    { name: "Jean-Marc Bamba", email: "jm.bamba@example.ci", phone: "+2250708091011" },
    { name: "Mariam Ouattara", email: "mariam.o@example.ci", phone: "+2250544332211" },
    { name: "Serge Kouadio", email: "serge.kouadio@example.ci", phone: "+2250102030405" },
  ],
  KE: [
    { name: "Brian Otieno", email: "brian.otieno@example.co.ke", phone: "+254722000000" },
    { name: "Achieng Odhiambo", email: "achieng@example.co.ke", phone: "+254711223344" },
    { name: "David Mwangi", email: "d.mwangi@example.co.ke", phone: "+254733445566" },
    { name: "Grace Njeri", email: "grace.njeri@example.co.ke", phone: "+254700112233" },
    { name: "Peter Kiprono", email: "p.kiprono@example.co.ke", phone: "+254799887766" },
  ],
};
