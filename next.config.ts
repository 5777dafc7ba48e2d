import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin("./lib/i18n/request.ts");

const nextConfig: NextConfig = {
  // PGlite loads its .wasm/.data files through new URL(..., import.meta.url); bundled by
  // Turbopack those URLs break at runtime (ERR_INVALID_ARG_TYPE), so it must stay external.
  serverExternalPackages: ["@electric-sql/pglite", "pg-boss"],
  poweredByHeader: false,
};

export default withNextIntl(nextConfig);
