import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { copyToStdout } from "./copy";
import { scrubQueryErrors } from "./query-errors";
import * as schema from "./schema";

// Before any query: a failure never leaves drizzle with its parameters (db/query-errors.ts).
scrubQueryErrors();

type Schema = typeof schema;
/** Both drivers share this surface; code above db/ never knows which one it talks to. */
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export type Database = {
  db: Db;
  driver: "pglite" | "postgres";
  /** True when this call created the embedded database's files (first run). */
  created: boolean;
  /**
   * How a job queue (pg-boss) reaches this database: its own small pool on a server, or the
   * embedded database's single connection (multi-statement SQL runs without values).
   */
  jobsConnection:
    | { connectionString: string }
    | { db: { executeSql: (text: string, values?: unknown[]) => Promise<{ rows: unknown[] }> } };
  /**
   * PostgreSQL server only: streams the output of one `COPY (…) TO STDOUT` (db/copy.ts), with
   * backpressure; cancelling the stream stops the query. The embedded database has none.
   */
  copyToStdout?: (copyQuery: string) => ReadableStream<Uint8Array>;
  close: () => Promise<void>;
};

export type DatabaseOptions = (
  | { url: string; poolMax?: number }
  /** A directory for an embedded database, or "memory://" for a throwaway one. */
  | { dataDir: string }
) & {
  /** Tests only: migrate from another folder (e.g. the migrations up to one, to test the next one on existing rows). */
  migrationsFolder?: string;
  /** false: open as is (a read-only tool such as ledger:check must not write, migrations included). */
  migrate?: boolean;
};

export const migrationsFolder = path.join(process.cwd(), "db", "migrations");

export async function createDatabase(options: DatabaseOptions): Promise<Database> {
  const folder = options.migrationsFolder ?? migrationsFolder;
  if ("url" in options) {
    const client = postgres(options.url, { max: options.poolMax ?? 10, onnotice: () => {} });
    // drizzle asks postgres.js not to prepare unnamed statements, so the server parses and plans
    // every query again; preparing them (postgres.js's own default) roughly halves the database
    // CPU per notification (bench/notify.ts). Statement texts are few and fixed, so the per-connection cache stays small.
    const unsafe = client.unsafe.bind(client);
    client.unsafe = ((query: string, params?: unknown[], opts?: object) => unsafe(query, params as never, { ...opts, prepare: true })) as typeof client.unsafe;
    const db = drizzlePostgres(client, { schema, casing: "snake_case" });
    if (options.migrate !== false) await migratePostgres(db, { migrationsFolder: folder });
    return {
      db: db as unknown as Db,
      driver: "postgres",
      created: false,
      jobsConnection: { connectionString: options.url },
      copyToStdout: (copyQuery) => copyToStdout(client, copyQuery),
      close: () => client.end({ timeout: 5 }),
    };
  }
  const memory = options.dataDir.startsWith("memory://");
  const created = memory || !existsSync(path.join(options.dataDir, "PG_VERSION"));
  // PGlite creates only the leaf directory.
  if (!memory) mkdirSync(path.dirname(path.resolve(options.dataDir)), { recursive: true });
  // pg_trgm: the orders search's trigram indexes (db/migrations/0015_order_search_trigrams.sql).
  const client = await PGlite.create(options.dataDir, { extensions: { pg_trgm } });
  const db = drizzlePglite(client, { schema, casing: "snake_case" });
  if (options.migrate !== false) await migratePglite(db, { migrationsFolder: folder });
  const executeSql = async (text: string, values?: unknown[]) =>
    values?.length ? { rows: (await client.query(text, values)).rows } : { rows: (await client.exec(text)).at(-1)?.rows ?? [] };
  return { db: db as unknown as Db, driver: "pglite", created, jobsConnection: { db: { executeSql } }, close: () => client.close() };
}
