/**
 * Gives the PostgreSQL e2e server a fresh database (E2E_DATABASE, caisse_e2e by default, on TEST_DATABASE_URL's server);
 * the app migrates and seeds it on start (SEED_ON_START).
 */
import postgres from "postgres";
import { E2E_DATABASE } from "./e2e-database";

const url = process.env.TEST_DATABASE_URL;
if (!url) throw new Error("TEST_DATABASE_URL is not set");
const admin = postgres(url, { max: 1, onnotice: () => {} });
await admin.unsafe(`drop database if exists ${E2E_DATABASE} with (force)`);
await admin.unsafe(`create database ${E2E_DATABASE}`);
await admin.end();
