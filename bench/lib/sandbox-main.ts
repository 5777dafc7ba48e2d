/**
 * The provider simulators as a process of their own, standing in for the providers' servers
 * during a benchmark: the app under test then spends nothing on answering its own status checks.
 * Usage: tsx bench/lib/sandbox-main.ts <databaseUrl> <port>
 */
import { createDatabase } from "@/db/client";
import { startHost } from "@/lib/testing/http-host";
import { handleSandbox } from "@/lib/sandbox/router";
import { BENCH_ENCRYPTION_KEY } from "./app";

const [databaseUrl, port] = process.argv.slice(2);
const database = await createDatabase({ url: databaseUrl!, poolMax: 10 });
const origin = `http://127.0.0.1:${port}`;
// The app under test listens on another loopback port: that is where every notification and
// shopper goes, so loopback targets are on whatever NODE_ENV the bench runs under.
await startHost((req) => handleSandbox(req, { db: database.db, encryptionKey: BENCH_ENCRYPTION_KEY, origin, loopbackTargets: true }), Number(port));
console.log(`sandbox listening on ${origin}`);
