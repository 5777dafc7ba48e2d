/**
 * A second "app instance" for the multi-instance reconciliation test: its own process, its own
 * connection pool and sweep timer, on the same PostgreSQL database. Usage:
 *   tsx lib/testing/reconcile-worker.ts <database url> <app url> <run ms>
 */
import { createDatabase } from "@/db/client";
import { parseEnv } from "@/lib/env";
import { startReconciler } from "@/lib/payments/reconcile";
import { providerUrls } from "@/lib/payments/urls";
import { TEST_ENCRYPTION_KEY } from "./databases";

const [url, appUrl, runMs] = process.argv.slice(2);
if (!url || !appUrl || !runMs) throw new Error("usage: reconcile-worker <database url> <app url> <run ms>");
const defaults = parseEnv({});
const database = await createDatabase({ url, poolMax: 5 });
const deps = {
  db: database.db,
  encryptionKey: TEST_ENCRYPTION_KEY,
  appUrl,
  urlsFor: (provider: Parameters<typeof providerUrls>[0], mode: Parameters<typeof providerUrls>[1]) => providerUrls(provider, mode, { ...defaults, APP_URL: appUrl }),
  timeouts: { initMs: 5_000, statusMs: 3_000 },
};
const reconciler = await startReconciler(deps, { sweepIntervalMs: 300 });
console.log("ready");
await new Promise((resolve) => setTimeout(resolve, Number(runMs)));
await reconciler.stop();
await database.close();
console.log("done");
