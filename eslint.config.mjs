import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([".next/**", "bench/floor/.next/**", "bench/floor/next-env.d.ts", "node_modules/**", ".data/**", "test-results/**", "playwright-report/**", "next-env.d.ts"]),
]);
