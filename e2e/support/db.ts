import postgres from "postgres";
import { E2E_DATABASE } from "./e2e-database";

/**
 * Direct access to the PostgreSQL e2e server's database, for the few checks a browser cannot
 * make (time passing, rows that must not exist). The embedded database belongs to its server
 * process alone, so these tests run on the PostgreSQL project only.
 */
export function e2eDatabase() {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error("TEST_DATABASE_URL is not set");
  const target = new URL(url);
  target.pathname = `/${E2E_DATABASE}`;
  return postgres(target.toString(), { max: 2, onnotice: () => {} });
}
