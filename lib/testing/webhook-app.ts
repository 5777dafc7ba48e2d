/**
 * The app's part that a crash test kills (lib/webhooks/crash.integration.test.ts), as a process
 * of its own: it makes payments paid (POST /pay {paymentId}: the transition's one statement,
 * which writes the webhook events) and runs the webhook worker, on the PostgreSQL database named
 * by DATABASE_URL. Run with `node --import tsx`; prints "ready <url>" once it listens.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createDatabase } from "@/db/client";
import { applyTransition } from "@/lib/payments/transitions";
import { startWebhookWorker } from "@/lib/webhooks/worker";

const database = await createDatabase({ url: process.env.DATABASE_URL!, poolMax: 5, migrate: false });
await startWebhookWorker(
  { db: database.db, encryptionKey: process.env.CAISSE_ENCRYPTION_KEY!, url: { allowLoopback: true }, leaseMs: Number(process.env.LEASE_MS ?? 2000), timeoutMs: 10_000 },
  database,
  { pumpIntervalMs: Number(process.env.PUMP_MS ?? 100), pollingIntervalSeconds: 0.5 },
);
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const { paymentId } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { paymentId: string };
    applyTransition(database.db, { paymentId, to: "paid", actor: "crash-test" }).then(
      (outcome) => res.end(JSON.stringify(outcome)),
      (error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      },
    );
  });
});
server.listen(0, "127.0.0.1", () => console.log(`ready http://127.0.0.1:${(server.address() as AddressInfo).port}`));
