import { demoEnabled, type Env } from "@/lib/env";
import { createDatabase, type Database } from "./client";
import { seedDemo } from "./seed";
import { seedDevApiKey } from "./seed-api-key";

/** The app's database as the environment describes it, seeded as it says (apart from db/index.ts's cache, so tests can open it). */
export async function openAppDatabase(e: Env): Promise<Database> {
  const database = await createDatabase(
    e.DATABASE_URL ? { url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX } : { dataDir: e.PGLITE_DATA_DIR },
  );
  // A brand-new embedded database is seeded so that the first `npm run dev` shows a live demo;
  // SEED_ON_START=true (re)seeds at every start, wherever the database is.
  if (e.SEED_ON_START || (database.created && demoEnabled(e))) await seedDemo(database.db, { encryptionKey: e.CAISSE_ENCRYPTION_KEY });
  // The README's key: `npm run dev` only, whatever SEED_ON_START says elsewhere (it is public).
  if (e.NODE_ENV === "development" && demoEnabled(e)) await seedDevApiKey(database.db);
  return database;
}
