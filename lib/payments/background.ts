import "server-only";
import { env } from "@/lib/env";
import { paymentDeps } from "./deps";
import { startReconciler, type Reconciler } from "./reconcile";
import { errorMessage, logger } from "@/lib/log";

const g = globalThis as unknown as { __caisseReconciler?: Promise<Reconciler | null> };

/** Started once per server process from instrumentation.ts (and kept across dev reloads). */
export function startBackgroundWork(): Promise<Reconciler | null> {
  g.__caisseReconciler ??= (async () => {
    const e = env();
    if (!e.RECONCILE_ENABLED) return null;
    return startReconciler(await paymentDeps(), { sweepIntervalMs: e.RECONCILE_INTERVAL_SECONDS * 1000 });
  })().catch((error: unknown) => {
    logger("reconcile").error({ err: errorMessage(error) }, "could not start");
    g.__caisseReconciler = undefined;
    return null;
  });
  return g.__caisseReconciler;
}
