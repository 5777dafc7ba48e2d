/**
 * Gives the PostgreSQL e2e server a fresh database (caisse_e2e on TEST_DATABASE_URL's server);
 * the app migrates and seeds it on start (SEED_ON_START).
 */
import postgres from "postgres";

const url = process.env.TEST_DATABASE_URL;
if (!url) throw new Error("TEST_DATABASE_URL is not set");
const admin = postgres(url, { max: 1, onnotice: () => {} });
await admin.unsafe("drop database if exists caisse_e2e with (force)");
await admin.unsafe("create database caisse_e2e");
await admin.end();
