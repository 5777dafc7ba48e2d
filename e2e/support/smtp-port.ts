/**
 * The SMTP server the e2e app servers send to (SMTP_URL in playwright.config.ts): a fixed loopback
 * port derived from E2E_PORT, so suites of different helpers never share one, and one more for the
 * PostgreSQL project when it runs in its own process beside PGlite's (e2e/support/run-projects.ts).
 * Only e2e/mail.spec.ts listens on it; for every other spec nothing answers there, and queued mail
 * just waits, retried.
 */
export const E2E_SMTP_PORT = Number(process.env.E2E_PORT ?? 3200) + 1025 + (process.env.E2E_PROJECT === "postgres" ? 1 : 0);
