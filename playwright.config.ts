import { defineConfig, devices, type PlaywrightTestConfig } from "@playwright/test";
import { testChromium } from "./e2e/support/chromium";
import { E2E_DATABASE } from "./e2e/support/e2e-database";
import { E2E_SMTP_PORT } from "./e2e/support/smtp-port";
import { REPORTS } from "./lib/testing/test-reports";

/**
 * One suite, run against every database we ship on: the embedded PGlite always, and a
 * PostgreSQL server when TEST_DATABASE_URL is set (`npm test` always sets it). Each gets its own `next start`.
 */
const serverUrl = process.env.TEST_DATABASE_URL;
/** One project only, in a process of its own: `npm test` runs the two side by side (e2e/support/run-projects.ts). */
const only = process.env.E2E_PROJECT;
if (only !== undefined && !REPORTS.playwrightProjects.includes(only)) throw new Error(`E2E_PROJECT must be one of ${REPORTS.playwrightProjects.join(", ")}`);
const PGLITE_PORT = Number(process.env.E2E_PORT ?? 3200);
const POSTGRES_PORT = PGLITE_PORT + 1;

const chromium = testChromium();

const common = {
  NEXTAUTH_SECRET: "e2e-secret-not-for-production",
  CAISSE_ENCRYPTION_KEY: Buffer.alloc(32, 42).toString("base64"),
  NEXT_TELEMETRY_DISABLED: "1",
  SANDBOX_ENABLED: "true",
  // next start is production, where the simulators follow APP_URL only; e2e/sandbox.spec.ts's
  // receivers listen on random loopback ports.
  SANDBOX_LOOPBACK_TARGETS: "true",
  // Sandbox webhook endpoints of the specs' merchant sites listen on loopback too.
  WEBHOOK_LOOPBACK_TARGETS: "true",
  LOG_LEVEL: "warn",
  // e2e/mail.spec.ts listens there; for the other specs nothing does, and mail waits in the queue.
  SMTP_URL: `smtp://127.0.0.1:${E2E_SMTP_PORT}`,
  MAIL_FROM: "Caisse <no-reply@caisse.test>",
  MAIL_RETRY_DELAY_SECONDS: "5",
};

const next = "node_modules/.bin/next start";

/**
 * CinetPay's live API is the server's own simulator, as a staging host would be (the env
 * override exists for that): live keys typed in the settings are then really right or wrong
 * (e2e/dashboard-settings.spec.ts). The other providers' live hosts stay unreachable here.
 */
const stagingFor = (port: number) => ({ CINETPAY_API_URL: `http://127.0.0.1:${port}/sandbox/cinetpay` });

const servers: NonNullable<PlaywrightTestConfig["webServer"]> = [];
const projects: NonNullable<PlaywrightTestConfig["projects"]> = [];

if (only !== "postgres") {
  servers.push({
    // A fresh embedded database each run; next start is production, so the demo is asked for.
    command: `rm -rf .data/e2e-pglite && ${next} -p ${PGLITE_PORT}`,
    url: `http://127.0.0.1:${PGLITE_PORT}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    env: { ...common, ...stagingFor(PGLITE_PORT), DATABASE_URL: "", PGLITE_DATA_DIR: ".data/e2e-pglite", SEED_ON_START: "true", APP_URL: `http://127.0.0.1:${PGLITE_PORT}`, NEXTAUTH_URL: `http://127.0.0.1:${PGLITE_PORT}` },
  });
  projects.push({ name: "pglite", use: { ...devices["Desktop Chrome"], baseURL: `http://127.0.0.1:${PGLITE_PORT}` } });
}

if (only === "postgres" && !serverUrl) throw new Error("E2E_PROJECT=postgres needs TEST_DATABASE_URL");
if (serverUrl && only !== "pglite") {
  const e2eUrl = new URL(serverUrl);
  e2eUrl.pathname = `/${E2E_DATABASE}`;
  servers.push({
    command: `node_modules/.bin/tsx e2e/support/prepare-database.ts && ${next} -p ${POSTGRES_PORT}`,
    url: `http://127.0.0.1:${POSTGRES_PORT}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    env: { ...common, ...stagingFor(POSTGRES_PORT), DATABASE_URL: e2eUrl.toString(), SEED_ON_START: "true", APP_URL: `http://127.0.0.1:${POSTGRES_PORT}`, NEXTAUTH_URL: `http://127.0.0.1:${POSTGRES_PORT}` },
  });
  projects.push({ name: "postgres", use: { ...devices["Desktop Chrome"], baseURL: `http://127.0.0.1:${POSTGRES_PORT}` } });
}

export default defineConfig({
  testDir: "./e2e",
  workers: 1, // 2-core machine, and PGlite serves one connection at a time
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  // `npm test` sums the JSON with Vitest's and lists every skip with its reason.
  reporter: [["list"], ["json", { outputFile: only ? REPORTS.playwrightProject(only) : REPORTS.playwright }]],
  // Two processes side by side must not clear each other's traces.
  outputDir: only ? `test-results/${only}` : "test-results",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromium.executablePath,
      env: chromium.env && { ...definedEnv(), ...chromium.env },
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  projects,
  webServer: servers,
});

function definedEnv(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
