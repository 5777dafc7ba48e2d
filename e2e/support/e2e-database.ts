/**
 * The PostgreSQL e2e server's database on TEST_DATABASE_URL's server. E2E_DATABASE lets two
 * suites share one PostgreSQL server without dropping each other's database mid-run.
 */
export const E2E_DATABASE = /^[a-z_][a-z0-9_]{0,62}$/.test(process.env.E2E_DATABASE ?? "") ? process.env.E2E_DATABASE! : "caisse_e2e";
