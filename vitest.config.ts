import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@/": fileURLToPath(new URL("./", import.meta.url)),
      // `server-only` throws outside React's server build; tests run server code directly.
      "server-only": fileURLToPath(new URL("./lib/testing/server-only-stub.ts", import.meta.url)),
    },
  },
  test: {
    include: ["{lib,db,app,components}/**/*.test.{ts,tsx}"],
    // `npm test` sums these with Playwright's and lists every skip with its reason (REPORTS in
    // lib/testing/test-reports.ts; a literal here, as Vite's config loader wants no extensionless imports).
    reporters: ["default", ["json", { outputFile: ".ci-results/vitest.json" }], "./lib/testing/vitest-skips.ts"],
    environment: "node",
    pool: "forks",
    // Vitest's default (cores − 1) gives a 2-core CI machine one worker and a serial suite; the
    // files wait mostly on sockets and databases, so two workers nearly halve the run.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
