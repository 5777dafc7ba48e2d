import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { stopChild } from "./app";

/**
 * Next's floor: bench/floor is a two-file App Router app (bare html/body, one line of text)
 * built by the project's own node_modules/next into bench/floor/.next, with the product's
 * production settings. It is its own Next project, so nothing of it ships in the product.
 */
const root = path.resolve(import.meta.dirname, "../..");
const floorDir = path.join(root, "bench", "floor");
const nextBin = path.join(root, "node_modules/next/dist/bin/next");
const stampFile = path.join(floorDir, ".next", "bench-source");

function sources(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name !== ".next" && name !== "node_modules" && name !== "next-env.d.ts")
    .flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? sources(full) : [full];
    })
    .sort();
}

/** The floor's sources plus the exact Next/React versions installed: a change of either rebuilds it. */
function floorStamp(): string {
  const hash = createHash("sha256");
  for (const file of sources(floorDir)) hash.update(path.relative(floorDir, file)).update(readFileSync(file));
  for (const pkg of ["next", "react", "react-dom"]) hash.update(pkg).update(String(JSON.parse(readFileSync(path.join(root, "node_modules", pkg, "package.json"), "utf8")).version));
  return hash.digest("hex");
}

export function installedVersions(): string {
  return ["next", "react", "react-dom"].map((pkg) => `${pkg} ${JSON.parse(readFileSync(path.join(root, "node_modules", pkg, "package.json"), "utf8")).version}`).join(", ");
}

/** `next build bench/floor` unless bench/floor/.next already holds a build of these sources. */
export async function ensureFloorBuild(): Promise<{ built: boolean; seconds: number }> {
  const stamp = floorStamp();
  if (existsSync(path.join(floorDir, ".next", "BUILD_ID")) && existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp) return { built: false, seconds: 0 };
  const started = performance.now();
  console.log("building Next's floor (next build bench/floor)…");
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, "build", floorDir], { cwd: root, env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" }, stdio: "inherit" });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`next build bench/floor exited ${code}`))));
  });
  // After the build: next build may rewrite the floor's tsconfig.json the first time.
  writeFileSync(stampFile, floorStamp());
  return { built: true, seconds: (performance.now() - started) / 1000 };
}

/** `next start` of the floor on 127.0.0.1:port (production). */
export async function startFloor(port: number): Promise<{ url: string; stop: () => Promise<void> }> {
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [nextBin, "start", floorDir, "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) stream.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`floor next start exited ${child.exitCode}:\n${output.join("")}`);
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`floor next start did not answer:\n${output.join("")}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, stop: () => stopChild(child) };
}
