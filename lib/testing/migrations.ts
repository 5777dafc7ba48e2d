import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { migrationsFolder, type Database } from "@/db/client";

/**
 * The migrations before `tag` in a folder of their own: open a test database with them, write
 * rows as the code of that time did, then `migrateToLatest` to test a migration on existing data.
 */
export function migrationsBefore(tag: string): { folder: string; cleanup: () => void } {
  const root = mkdtempSync(path.join(tmpdir(), "caisse-mig-"));
  const folder = path.join(root, "migrations");
  mkdirSync(path.join(folder, "meta"), { recursive: true });
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as { entries: { tag: string; idx: number }[] };
  const until = journal.entries.findIndex((e) => e.tag === tag);
  if (until < 0) throw new Error(`no migration ${tag}`);
  const entries = journal.entries.slice(0, until);
  for (const e of entries) copyFileSync(path.join(migrationsFolder, `${e.tag}.sql`), path.join(folder, `${e.tag}.sql`));
  writeFileSync(path.join(folder, "meta", "_journal.json"), JSON.stringify({ ...journal, entries }));
  return { folder, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export async function migrateToLatest(database: Database): Promise<void> {
  if (database.driver === "pglite") await migratePglite(database.db as never, { migrationsFolder });
  else await migratePostgres(database.db as never, { migrationsFolder });
}
