import { defineConfig } from "drizzle-kit";

// Only `drizzle-kit generate` / `check` use this file (no database needed). Migrations are applied
// by the app itself (db/index.ts) or `npm run db:migrate`, on PGlite or PostgreSQL alike.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
  casing: "snake_case",
});
