import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { TEST_DATABASES } from "@/lib/testing/databases";
import { runSchedule, TIME_SPENT } from "@/lib/testing/schedules/run";
import { scheduleArbitrary } from "@/lib/testing/schedules/generate";
import { openScheduleWorld, type ScheduleWorld } from "@/lib/testing/schedules/world";

/**
 * Issue 18: the machine invents the scenarios. Each run is a random schedule of shoppers (checkout,
 * return, cancel, a closed tab, a retry with another method, a phone answered late), providers
 * (notifications late, twice, out of order or never; forged, tampered, replayed for another
 * payment; status APIs failing, hanging, rate-limiting, or answering without the money; KKiaPay
 * transactions opened without our reference), merchants (refunds, concurrent refunds, replays,
 * exception resolutions, going live while sandbox payments are open, against a live stand-in) and
 * processes dying between two statements, over the four simulators and Caisse's real routes.
 * Reconciliation then runs past the horizon, and the money must be right: ledger:check's
 * invariants, and the simulators' own records (lib/testing/schedules/oracle.ts).
 *
 * A failure prints the command that replays its schedule. SCHEDULE_SEED picks the run (PGlite runs
 * that seed, PostgreSQL the next one), SCHEDULE_RUNS (or FUZZ_RUNS) makes it longer, SCHEDULE_PATH
 * replays one schedule of it, SCHEDULE_SHRINK=1 looks for a shorter failing schedule (slow), and
 * SCHEDULE_PROFILE=1 prints where the time went.
 */
// The crash steps make the app log errors on purpose; LOG_LEVEL=info shows them.
process.env.LOG_LEVEL ??= "fatal";

const SEED = Number(process.env.SCHEDULE_SEED ?? 20261208);
const RUNS = Number(process.env.SCHEDULE_RUNS ?? process.env.FUZZ_RUNS ?? 50);
const PATH = process.env.SCHEDULE_PATH;
const SHRINK = process.env.SCHEDULE_SHRINK === "1";

// Each database gets a seed of its own: CI explores twice as many schedules, each replayable.
describe.each(TEST_DATABASES.map((database, i) => ({ ...database, seed: SEED + i })))("randomized schedules on $name", ({ name, open, seed }) => {
  let database: Database;
  let world: ScheduleWorld;
  // Opening and seeding PGlite alone can take a minute on a busy 2-core machine.
  beforeAll(async () => {
    database = await open();
    world = await openScheduleWorld(database);
  }, 180_000);
  afterAll(async () => {
    await world?.app.close();
    await world?.live.close();
    await database?.close();
  });

  it("leave the money right after every schedule", async () => {
    const started = Date.now();
    const totals = { schedules: 0, steps: 0, skipped: 0, sweeps: 0 };
    await fc.assert(
      fc.asyncProperty(scheduleArbitrary, async (schedule) => {
        const path = PATH ?? String(totals.schedules);
        const outcome = await runSchedule(world, schedule);
        totals.schedules += 1;
        totals.steps += outcome.steps;
        totals.skipped += outcome.skipped;
        totals.sweeps += outcome.sweeps ?? 0;
        if (outcome.violations.length) {
          const replay = `${name === "postgres" ? "TEST_DATABASE_URL=… " : ""}SCHEDULE_SEED=${SEED} SCHEDULE_PATH=${path} npx vitest run lib/payments/schedules -t "on '${name}'"`;
          throw new Error(`the money is wrong after this schedule:\n  ${outcome.violations.join("\n  ")}\nsteps:\n  ${outcome.trace.join("\n  ")}\nreplay: ${replay}`);
        }
      }),
      { seed, numRuns: PATH ? 1 : RUNS, endOnFailure: !SHRINK, ...(PATH ? { path: PATH } : {}) },
    );
    if (process.env.SCHEDULE_PROFILE === "1") console.log(Object.entries(TIME_SPENT).map(([what, ms]) => `${what} ${Math.round(ms)} ms`).join(", "));
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`schedules on ${name}: ${totals.schedules} schedules, ${totals.steps} steps (${totals.skipped} more had nothing to act on), ${totals.sweeps} reconciliation sweeps, seed ${seed}, ${seconds} s`);
    expect(totals.schedules).toBe(PATH ? 1 : RUNS);
  }, Math.max(600_000, RUNS * 60_000));
});
