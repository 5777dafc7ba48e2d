/**
 * `npm run db:migrate` / `npm run db:seed`: against DATABASE_URL when set, else the embedded
 * database in PGLITE_DATA_DIR (stop `npm run dev` first: PGlite allows one process at a time).
 */
import { parseEnv } from "@/lib/env";
import { createDatabase } from "./client";
import { seedCounts, seedDemo } from "./seed";

const command = process.argv[2];
if (command !== "migrate" && command !== "seed") {
  console.error("usage: tsx db/cli.ts migrate|seed");
  process.exit(2);
}

const e = parseEnv(process.env);
const database = await createDatabase(e.DATABASE_URL ? { url: e.DATABASE_URL } : { dataDir: e.PGLITE_DATA_DIR });
try {
  console.log(`migrations applied (${database.driver})`);
  if (command === "seed") {
    await seedDemo(database.db, { encryptionKey: e.CAISSE_ENCRYPTION_KEY });
    console.log("seeded:", await seedCounts(database.db));
  }
} finally {
  await database.close();
}
