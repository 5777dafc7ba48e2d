import "server-only";
import type { Database } from "./client";
import { openAppDatabase } from "./open";
import { env } from "@/lib/env";

export type { Db, Database } from "./client";
export * as schema from "./schema";

const g = globalThis as unknown as { __caisseDb?: Promise<Database> };

/** The app's database, opened lazily (never during `next build`) and cached across HMR reloads. */
export async function getDatabase(): Promise<Database> {
  g.__caisseDb ??= openAppDatabase(env()).catch((error: unknown) => {
    g.__caisseDb = undefined;
    throw error;
  });
  return g.__caisseDb;
}

export async function getDb() {
  return (await getDatabase()).db;
}
