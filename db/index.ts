import "server-only";
import { createDatabase, type Database } from "./client";
import { seedDemo } from "./seed";
import { env } from "@/lib/env";

export type { Db, Database } from "./client";
export * as schema from "./schema";

const g = globalThis as unknown as { __caisseDb?: Promise<Database> };

async function open(): Promise<Database> {
  const e = env();
  const database = await createDatabase(
    e.DATABASE_URL ? { url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX } : { dataDir: e.PGLITE_DATA_DIR },
  );
  // A brand-new embedded database is seeded so that the first `npm run dev` shows a live demo.
  if (database.created || e.SEED_ON_START) await seedDemo(database.db, { encryptionKey: e.CAISSE_ENCRYPTION_KEY });
  return database;
}

/** The app's database, opened lazily (never during `next build`) and cached across HMR reloads. */
export async function getDatabase(): Promise<Database> {
  g.__caisseDb ??= open().catch((error: unknown) => {
    g.__caisseDb = undefined;
    throw error;
  });
  return g.__caisseDb;
}

export async function getDb() {
  return (await getDatabase()).db;
}
