import postgres from "postgres";

/**
 * Benchmarks run on the local PostgreSQL server (trust auth, as on this machine and in CI).
 * BENCH_ADMIN_URL names a role allowed to create databases.
 */
export const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/**
 * The server the chaos and soak benches use: BENCH_ADMIN_URL, else the test suites' server
 * (TEST_DATABASE_URL, a role with CREATEDB, as in CI), else ADMIN_URL.
 */
export function scratchServerUrl(): string {
  return process.env.BENCH_ADMIN_URL ?? process.env.TEST_DATABASE_URL ?? ADMIN_URL;
}

export function databaseUrl(name: string, admin = ADMIN_URL): string {
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops and recreates `name` on the server `adminUrl` names; returns its URL. */
export async function freshDatabase(name: string, adminUrl = ADMIN_URL): Promise<string> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  return databaseUrl(name, adminUrl);
}

export async function databaseExists(name: string): Promise<boolean> {
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    const rows = await admin`select 1 from pg_database where datname = ${name}`;
    return rows.length > 0;
  } finally {
    await admin.end();
  }
}

export async function serverVersion(): Promise<string> {
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    const [row] = await admin`show server_version`;
    return String(row?.server_version ?? "?");
  } finally {
    await admin.end();
  }
}
