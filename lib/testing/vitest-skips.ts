import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Reporter, TestModule } from "vitest/node";
import { REPORTS, type Skip } from "./test-reports";

/** A Vitest reporter that lists every skipped test with the note it gave `skip(note)`, for the run's totals. */
export default class SkipsReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    const skips: Skip[] = [];
    for (const testModule of testModules) {
      for (const test of testModule.children.allTests("skipped")) {
        const result = test.result();
        const note = result.state === "skipped" ? result.note : undefined;
        const reason = note ?? (test.options.mode === "todo" ? "todo" : "");
        skips.push({ name: `${path.relative(process.cwd(), testModule.moduleId)} › ${test.fullName}`, reason });
      }
    }
    mkdirSync(path.dirname(REPORTS.vitestSkips), { recursive: true });
    writeFileSync(REPORTS.vitestSkips, JSON.stringify(skips, null, 2));
  }
}
