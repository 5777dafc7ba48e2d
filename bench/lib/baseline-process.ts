import { spawn } from "node:child_process";
import path from "node:path";
import { treeRss } from "./app";

const root = path.resolve(import.meta.dirname, "../..");

/** Starts bench/lib/baseline-server.ts as its own process; resolves once it listens. */
export async function startBaselineProcess(options: { databaseUrl: string; port: number; sandboxUrl: string; poolMax: number }) {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(root, "bench/lib/baseline-server.ts"), options.databaseUrl, String(options.port), options.sandboxUrl, String(options.poolMax)],
    { cwd: root, env: { ...process.env, NODE_ENV: "production" }, stdio: ["ignore", "pipe", "inherit"] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("baseline listening")) resolve();
    });
    child.on("exit", (code) => reject(new Error(`baseline process exited ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${options.port}`,
    pid: child.pid!,
    rss: () => treeRss(child.pid!),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
