/**
 * `npm run test:e2e`: the Playwright suite once per database, the two side by side, each project in
 * its own `playwright test` process with its own server, SMTP port, traces and JSON report
 * (E2E_PROJECT in playwright.config.ts). One worker each, as before: PGlite serves one connection
 * at a time, and a project's specs share its store's data. Most of an e2e test's time is spent
 * waiting (a provider's redirect, the order page's poller, a notification), so on CI's 2 cores the
 * two processes overlap those waits: checkout and shopper-edges specs, both projects, took 144 s one
 * after the other and 103 s side by side here.
 * Without TEST_DATABASE_URL there is only PGlite's project, run as one process. Arguments are passed
 * on to both (`npm run test:e2e -- e2e/checkout.spec.ts`).
 */
import { spawn } from "node:child_process";
import { REPORTS } from "@/lib/testing/test-reports";
import { testChromium } from "./chromium";

const args = process.argv.slice(2);
// Unpacked here, once: two configs loading at the same moment would both unpack into one folder.
testChromium();
const projects = process.env.TEST_DATABASE_URL ? REPORTS.playwrightProjects : ["pglite"];

function run(project: string): Promise<number> {
  const child = spawn("node_modules/.bin/playwright", ["test", ...args], { stdio: "inherit", env: { ...process.env, E2E_PROJECT: project } });
  children.push(child);
  return new Promise((resolve) => {
    child.on("error", () => resolve(1));
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const children: ReturnType<typeof spawn>[] = [];
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => children.forEach((child) => child.kill(signal)));
const codes = await Promise.all(projects.map(run));
process.exit(codes.some((code) => code !== 0) ? 1 : 0);
