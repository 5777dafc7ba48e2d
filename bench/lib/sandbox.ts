import { spawn } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

/** Starts bench/lib/sandbox-main.ts; resolves once it listens. */
export async function startSandboxProcess(databaseUrl: string, port: number): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "bench/lib/sandbox-main.ts"), databaseUrl, String(port)], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  // Never outlives the bench (a bench stopped by Ctrl-C or an error included).
  const orphan = () => child.kill("SIGKILL");
  process.once("exit", orphan);
  child.once("exit", () => process.off("exit", orphan));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("sandbox listening")) resolve();
    });
    child.on("exit", (code) => reject(new Error(`sandbox process exited ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill("SIGTERM") };
}
