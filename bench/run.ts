/**
 * `npm run bench` — every benchmark, one after the other on this machine, then bench/RESULTS.md.
 * `--quick` runs each at a small scale (a smoke run, figures written to bench/.quick/ only);
 * `--only=notify,init,dashboard,weight,webhooks,chaos,soak` runs a subset and updates just those sections
 * (chaos and soak, being long, run only when named there).
 * `--ci` (npm run test:chaos): the quick run on the build `npm test` just made, against the
 * server TEST_DATABASE_URL names, writing nothing; skipped, and says so, without that server.
 * A run fails (exit 1) when a bench throws or an invariant row fails.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ensureBuild } from "./lib/app";
import { describeMachine } from "./lib/machine";
import { parseOptions, type BenchOptions } from "./lib/options";
import { brokenInvariants, printSection, sectionMarkdown, type Section } from "./lib/report";

export type BenchContext = { options: BenchOptions };

/** `long`: runs only when named in --only (they take most of an hour). */
type Bench = { id: string; long?: boolean; load: () => Promise<{ run: (ctx: BenchContext) => Promise<Section> }> };

const BENCHES: Bench[] = [
  { id: "notify", load: () => import("./notify") },
  { id: "init", load: () => import("./init") },
  { id: "dashboard", load: () => import("./dashboard") },
  { id: "weight", load: () => import("./weight") },
  { id: "webhooks", load: () => import("./webhooks") },
  { id: "chaos", long: true, load: () => import("./chaos") },
  { id: "soak", long: true, load: () => import("./soak") },
];

const options = parseOptions(process.argv.slice(2));
const started = performance.now();
const selected = BENCHES.filter((bench) => (options.only ? options.only.includes(bench.id) : !bench.long));

if (options.ci) {
  if (!process.env.TEST_DATABASE_URL) {
    console.log(`SKIPPED ${selected.map((b) => b.id).join(", ")}: TEST_DATABASE_URL is not set, and these benches need a PostgreSQL server (a role with CREATEDB).`);
    process.exit(0);
  }
  if (!existsSync(path.join(import.meta.dirname, "..", ".next", "BUILD_ID"))) throw new Error("--ci runs on an existing production build: run `npm run build` first");
} else {
  const build = await ensureBuild(options.rebuild);
  if (build.built) console.log(`next build took ${build.seconds.toFixed(0)} s`);
}

const dir = path.join(import.meta.dirname, options.quick ? ".quick" : "results");
if (!options.ci) mkdirSync(dir, { recursive: true });

let failed = false;
for (const bench of selected) {
  const benchStarted = performance.now();
  try {
    const section = await (await bench.load()).run({ options });
    const seconds = (performance.now() - benchStarted) / 1000;
    section.conditions.push(`Run on ${new Date().toISOString().slice(0, 10)} in ${seconds.toFixed(0)} s${options.quick ? " (--quick)" : ""}.`);
    printSection(section);
    const broken = brokenInvariants(section);
    if (broken.length) {
      failed = true;
      console.error(`\n== ${bench.id}: ${broken.length} invariant(s) broken: ${broken.map((r) => r.metric).join("; ")}`);
    }
    if (!options.ci) writeFileSync(path.join(dir, `${bench.id}.md`), sectionMarkdown(section));
  } catch (error) {
    failed = true;
    console.error(`\n== ${bench.id} failed:`, error);
  }
}

if (!options.ci) {
  const machine = await describeMachine();
  // A bench's sections: `<id>.md`, then any variant it wrote as `<id>-<variant>.md`.
  const files = readdirSync(dir).filter((f) => f.endsWith(".md") && f !== "RESULTS.md").sort();
  const sections = BENCHES.flatMap((b) => [...files.filter((f) => f === `${b.id}.md`), ...files.filter((f) => f.startsWith(`${b.id}-`))]).map((f) => readFileSync(path.join(dir, f), "utf8"));
  const target = options.quick ? path.join(dir, "RESULTS.md") : path.join(import.meta.dirname, "RESULTS.md");
  writeFileSync(
    target,
    [
      "# Benchmark results",
      "",
      `Machine: ${machine}. Produced by \`npm run bench\`${options.quick ? " -- --quick" : ""}; each section says when it last ran.`,
      "How each figure is taken is described at the top of its script in bench/.",
      "",
      ...sections,
    ].join("\n"),
  );
  console.log(`\nwrote ${path.relative(process.cwd(), target)} in ${((performance.now() - started) / 1000).toFixed(0)} s total`);
}
if (failed) process.exitCode = 1;
// The benches' pools and children are closed; nothing else may keep a CI step waiting.
process.exit();
