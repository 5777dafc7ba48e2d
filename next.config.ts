import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";
import { STATIC_SECURITY_HEADERS } from "./lib/security/headers";

const withNextIntl = createNextIntlPlugin("./lib/i18n/request.ts");

const nextConfig: NextConfig = {
  // PGlite loads its .wasm/.data files through new URL(..., import.meta.url); bundled by
  // Turbopack those URLs break at runtime (ERR_INVALID_ARG_TYPE), so it must stay external.
  serverExternalPackages: ["@electric-sql/pglite", "pg-boss"],
  poweredByHeader: false,
  // Metadata in the <head>, never streamed after it: a streamed <title> sits in its own Suspense
  // boundary, and each router.refresh() of the order page (its status poller) mounted a new one,
  // leaving the tab without a title until it resolved (WCAG's page title; axe caught it on CI, and
  // e2e/shopper-edges.spec.ts "keeps its <title>" reproduces it). Every page awaits its data
  // before its first byte anyway (no loading.tsx), and its metadata reads the same memoised rows,
  // so nothing streams later for it.
  htmlLimitedBots: /.*/,
  experimental: {
    // A product's image may be 1 MB (lib/products/image.ts) and travels in its form with the
    // other fields; proxy.ts refuses anything above the same cap with a 413 first.
    serverActions: { bodySizeLimit: "2mb" },
    // The stylesheet goes into the HTML's <head> as a <style> instead of a render-blocking <link>:
    // on slow 3G the separate request held the first paint back by a second (bench/RESULTS.md,
    // "Checkout weight"). The CSP allows it through style-src 'unsafe-inline' (README, Security).
    inlineCss: true,
  },
  // On every response but the simulators', which set their own (one of them is framed by the
  // checkout). The page's CSP and HSTS come from proxy.ts.
  async headers() {
    return [{ source: "/((?!sandbox/).*)", headers: STATIC_SECURITY_HEADERS }];
  },
};

export default withNextIntl(nextConfig);
