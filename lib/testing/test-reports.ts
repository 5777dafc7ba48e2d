import { existsSync, readFileSync } from "node:fs";

/** Where each suite leaves its machine-readable results; `npm test` and CI sum them. */
export const REPORTS = {
  folder: ".ci-results",
  vitest: ".ci-results/vitest.json",
  // Vitest's JSON report drops the note a test gives `skip(note)`: lib/testing/vitest-skips.ts keeps it.
  vitestSkips: ".ci-results/vitest-skips.json",
  playwright: ".ci-results/e2e.json",
  /** `npm test` runs each database's project in its own process (e2e/support/run-projects.ts). */
  playwrightProject: (project: string) => `.ci-results/e2e-${project}.json`,
  playwrightProjects: ["pglite", "postgres"],
};

export type Skip = { name: string; reason: string };
type Count = { passed: number; failed: number; skipped: number };
export type Totals = Count & { bySuite: Record<string, Count>; skips: Skip[]; missing: string[] };

type VitestReport = { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests?: number };
type PlaywrightTest = { projectName: string; status: string; annotations?: { type: string; description?: string }[] };
type PlaywrightSuite = { title: string; file?: string; suites?: PlaywrightSuite[]; specs?: { title: string; tests: PlaywrightTest[] }[] };
type PlaywrightReport = { stats: { expected: number; unexpected: number; flaky: number; skipped: number }; errors?: unknown[]; suites: PlaywrightSuite[] };

/** Sums the reports of the suites that ran; a suite without a report counts as a failure. */
export function readTotals(): Totals {
  const totals: Totals = { passed: 0, failed: 0, skipped: 0, bySuite: {}, skips: [], missing: [] };
  const add = (suite: string, count: Count) => {
    totals.bySuite[suite] = count;
    totals.passed += count.passed;
    totals.failed += count.failed;
    totals.skipped += count.skipped;
  };
  const vitest = readJson<VitestReport>(REPORTS.vitest);
  if (vitest) {
    add("Vitest", { passed: vitest.numPassedTests, failed: vitest.numFailedTests, skipped: vitest.numPendingTests + (vitest.numTodoTests ?? 0) });
    for (const skip of readJson<Skip[]>(REPORTS.vitestSkips) ?? []) totals.skips.push({ name: `Vitest ${skip.name}`, reason: skip.reason });
  } else totals.missing.push(REPORTS.vitest);
  // One report for both projects, or one per project when each ran in its own process: then a
  // project without its report did not run (its process died), which is a failure.
  const perProject = REPORTS.playwrightProjects.map(REPORTS.playwrightProject);
  const separate = !existsSync(REPORTS.playwright) && perProject.some(existsSync);
  if (separate) totals.missing.push(...perProject.filter((file) => !existsSync(file)));
  const files = separate ? perProject.filter(existsSync) : existsSync(REPORTS.playwright) ? [REPORTS.playwright] : [];
  const playwright = files.map((file) => readJson<PlaywrightReport>(file)!);
  if (playwright.length > 0) {
    const count: Count = { passed: 0, failed: 0, skipped: 0 };
    for (const report of playwright) {
      const { stats } = report;
      count.passed += stats.expected + stats.flaky;
      count.failed += stats.unexpected + (report.errors?.length ?? 0);
      count.skipped += stats.skipped;
      for (const suite of report.suites) totals.skips.push(...playwrightSkips(suite, []));
    }
    add("Playwright", count);
  } else totals.missing.push(REPORTS.playwright);
  totals.failed += totals.missing.length;
  return totals;
}

export function formatTotals(totals: Totals): string {
  const line = (c: Count) => `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`;
  const lines = Object.entries(totals.bySuite).map(([suite, count]) => `  ${suite}: ${line(count)}`);
  for (const file of totals.missing) lines.push(`  missing report ${file} (its suite did not run)`);
  if (totals.skips.length > 0) {
    lines.push("skipped:");
    for (const skip of totals.skips) lines.push(`  ${skip.name}: ${skip.reason || "(the test gives no reason)"}`);
  }
  // The one line the CI log reader looks for.
  lines.push(`tests: ${line(totals)}`);
  return lines.join("\n");
}

function playwrightSkips(suite: PlaywrightSuite, titles: string[]): Skip[] {
  const path = suite.title ? [...titles, suite.title] : titles;
  const skips: Skip[] = [];
  for (const spec of suite.specs ?? []) {
    for (const test of spec.tests) {
      if (test.status !== "skipped") continue;
      const reason = test.annotations?.find((a) => a.type === "skip" || a.type === "fixme")?.description ?? "";
      skips.push({ name: `Playwright [${test.projectName}] ${[...path, spec.title].join(" › ")}`, reason });
    }
  }
  for (const child of suite.suites ?? []) skips.push(...playwrightSkips(child, path));
  return skips;
}

function readJson<T>(file: string): T | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as T) : undefined;
}
