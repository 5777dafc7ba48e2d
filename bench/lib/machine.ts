import os from "node:os";
import { serverVersion } from "./postgres";

export async function describeMachine(): Promise<string> {
  const cpus = os.cpus();
  return [
    `${cpus.length} × ${cpus[0]?.model.trim() ?? "cpu"}`,
    `${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB RAM`,
    `${os.type()} ${os.release()}`,
    `Node ${process.version}`,
    `PostgreSQL ${await serverVersion()}`,
  ].join(", ");
}
