import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");
const stampFile = path.join(root, ".next", "bench-source");

/** Secrets for the benchmark instances only (the app refuses to start in production without them). */
export const BENCH_SECRET = "caisse-bench-secret-0123456789";
export const BENCH_ENCRYPTION_KEY = Buffer.alloc(32, 11).toString("base64");

/**
 * The sources a build came from: every tracked file's blob outside bench/, plus uncommitted
 * changes and untracked files, so a commit touching only the benchmarks reuses the build.
 */
function sourceStamp(): string {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const outside = ["--", ".", ":!bench"];
  return createHash("sha256")
    .update(git("ls-files", "-s", ...outside))
    .update(git("diff", "HEAD", ...outside))
    .update(git("ls-files", "--others", "--exclude-standard", ...outside))
    .digest("hex");
}

/** Runs `next build` unless .next already holds a production build of these very sources. */
export async function ensureBuild(force: boolean): Promise<{ built: boolean; seconds: number }> {
  const stamp = sourceStamp();
  const current = existsSync(path.join(root, ".next", "BUILD_ID")) && existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp;
  if (current && !force) return { built: false, seconds: 0 };
  const started = performance.now();
  console.log("building the app (next build)…");
  await run(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], { NEXT_TELEMETRY_DISABLED: "1" });
  writeFileSync(stampFile, stamp);
  return { built: true, seconds: (performance.now() - started) / 1000 };
}

function run(cmd: string, args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: "inherit" });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} exited ${code}`))));
  });
}

export type RunningApp = {
  url: string;
  pid: number;
  /** JSON log lines the server printed (pino), parsed. */
  logs: Record<string, unknown>[];
  /** Resident memory of the server process tree, in bytes. */
  rss: () => number;
  stop: () => Promise<void>;
  /** SIGKILL to the app's whole process group (a crash: nothing runs its shutdown code). */
  kill: () => Promise<void>;
};

/** `next start` on 127.0.0.1:port in production mode against `databaseUrl`. */
export async function startApp(options: { port: number; databaseUrl: string; env?: Record<string, string> }): Promise<RunningApp> {
  // A process group of its own: kill() reaches every process `next start` spawned, as a crash or
  // the OOM killer taking the container would.
  const url = `http://127.0.0.1:${options.port}`;
  // BENCH_PROFILE_DIR: the app writes a V8 CPU profile there when it stops (open it in Chrome
  // DevTools or read it with bench/lib/profile-summary.ts) — where a figure's time goes.
  const profile = process.env.BENCH_PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  const child = spawn(process.execPath, [...profile, path.join(root, "node_modules/next/dist/bin/next"), "start", "-p", String(options.port), "-H", "127.0.0.1"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: options.databaseUrl,
      NEXTAUTH_SECRET: BENCH_SECRET,
      NEXTAUTH_URL: url,
      APP_URL: url,
      CAISSE_ENCRYPTION_KEY: BENCH_ENCRYPTION_KEY,
      SANDBOX_ENABLED: "true",
      RECONCILE_ENABLED: "false",
      LOG_LEVEL: "info",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  appGroups.add(child.pid!);
  child.once("exit", () => appGroups.delete(child.pid!));
  const logs: Record<string, unknown>[] = [];
  const output: string[] = [];
  collectLines(child, (line) => {
    output.push(line);
    if (output.length > 200) output.shift();
    if (line.startsWith("{")) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a log record
      }
    }
  });
  await waitUntilHealthy(url, child, output);
  return {
    url,
    pid: child.pid!,
    logs,
    rss: () => treeRss(child.pid!),
    stop: () => stopGroup(child),
    kill: () => killGroup(child),
  };
}

/** Groups still running, killed if the bench process exits first (detached, they would outlive it). */
const appGroups = new Set<number>();
process.once("exit", () => {
  for (const pid of appGroups) signalGroup(pid, "SIGKILL");
});
// Ctrl-C reaches the bench's group only; exiting runs the handler above.
process.once("SIGINT", () => process.exit(130));

function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** SIGTERM to the group, then SIGKILL if the server is still there after 5 s. */
function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => signalGroup(child.pid!, "SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    signalGroup(child.pid!, "SIGTERM");
  });
}

function killGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    signalGroup(child.pid!, "SIGKILL");
  });
}

function collectLines(child: ChildProcess, onLine: (line: string) => void) {
  for (const stream of [child.stdout!, child.stderr!]) {
    let buffer = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        onLine(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
      }
    });
  }
}

async function waitUntilHealthy(url: string, child: ChildProcess, output: string[]) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited ${child.exitCode}:\n${output.join("\n")}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill("SIGKILL");
  throw new Error(`next start did not become healthy:\n${output.join("\n")}`);
}

/** SIGTERM, then SIGKILL if the process is still there after 5 s. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** VmRSS of a process and all its descendants (Linux /proc). */
export function treeRss(pid: number): number {
  let total = 0;
  const visit = (p: number) => {
    try {
      const status = readFileSync(`/proc/${p}/status`, "utf8");
      total += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
      for (const task of readFileSync(`/proc/${p}/task/${p}/children`, "utf8").split(/\s+/).filter(Boolean)) visit(Number(task));
    } catch {
      // gone
    }
  };
  visit(pid);
  return total;
}
