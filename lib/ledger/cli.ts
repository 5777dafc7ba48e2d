/**
 * `npm run ledger:check`: checks the money invariants (lib/ledger/invariants.ts) on the database
 * the app uses (DATABASE_URL, else the embedded one), read-only and without migrating. Prints
 * each broken rule with up to 20 offending rows; exits 1 when any rule is broken, 2 when it
 * could not check.
 */
import { createDatabase } from "@/db/client";
import { parseEnv } from "@/lib/env";
import { errorMessage } from "@/lib/log";
import { checkLedger, INVARIANTS } from "./invariants";

const e = parseEnv(process.env);
const database = await createDatabase(e.DATABASE_URL ? { url: e.DATABASE_URL, poolMax: 1, migrate: false } : { dataDir: e.PGLITE_DATA_DIR, migrate: false });
let code = 0;
try {
  const violations = await checkLedger(database.db);
  for (const invariant of INVARIANTS) {
    const broken = violations.find((v) => v.name === invariant.name);
    console.log(`${broken ? "FAIL" : "ok  "} ${invariant.name}: ${invariant.rule}${broken ? ` (${broken.count} rows)` : ""}`);
    for (const row of broken?.rows ?? []) console.log(`       ${JSON.stringify(row)}`);
  }
  code = violations.length ? 1 : 0;
  console.log(violations.length ? `${violations.length} of ${INVARIANTS.length} invariants broken` : `all ${INVARIANTS.length} invariants hold`);
} catch (error) {
  console.error("ledger check could not run:", errorMessage(error));
  code = 2;
} finally {
  await database.close();
}
process.exit(code);
