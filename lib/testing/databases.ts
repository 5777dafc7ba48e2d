import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { createDatabase, type Database } from "@/db/client";

/**
 * The real databases integration tests run on: an in-memory PGlite always, and a fresh database
 * on the PostgreSQL server named by TEST_DATABASE_URL when it is set (CI sets it).
 */
/** `migrationsFolder`: migrate with another set (a test of a later migration on earlier data); `poolMax`: server pool size. */
type OpenOptions = { migrationsFolder?: string; poolMax?: number };
export type TestDatabase = { name: "pglite" | "postgres"; open: (options?: OpenOptions) => Promise<Database> };

const serverUrl = process.env.TEST_DATABASE_URL;

export const TEST_DATABASES: TestDatabase[] = [
  { name: "pglite", open: (options) => createDatabase({ dataDir: "memory://", migrationsFolder: options?.migrationsFolder }) },
  ...(serverUrl ? [{ name: "postgres" as const, open: (options?: OpenOptions) => openScratchPostgres(serverUrl, options) }] : []),
];

/** The skip note of a race test on PGlite: it serves one connection at a time, so nothing there happens at the same moment. */
export const RACES_NEED_A_SERVER = "a race needs concurrent connections; PGlite serves one at a time (runs on PostgreSQL)";

export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString("base64");

/** A throwaway database on the server, dropped again when the returned handle is closed. */
async function openScratchPostgres(url: string, options: OpenOptions = {}): Promise<Database> {
  const name = `caisse_t_${randomBytes(6).toString("hex")}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const database = await createDatabase({ url: target.toString(), poolMax: options.poolMax ?? 20, migrationsFolder: options.migrationsFolder });
  return {
    ...database,
    close: async () => {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
