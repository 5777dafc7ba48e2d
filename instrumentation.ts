/** Next calls this once per server process: the reconciliation worker and the runtime metrics live here. */
export async function register() {
  // A build-time constant Next inlines (not configuration, so not lib/env.ts's business): the
  // literal comparison lets it drop the Node-only import from the edge bundle.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    // Production refuses to start without its secrets (lib/env.ts): a server that stayed up would
    // answer every request with a 500 instead.
    const { env } = await import("@/lib/env");
    try {
      env();
    } catch (error) {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    }
    const { startBackgroundWork } = await import("@/lib/payments/background");
    await startBackgroundWork();
    const { startMailBackground } = await import("@/lib/mail/background");
    await startMailBackground();
    const { startWebhookBackground } = await import("@/lib/webhooks/background");
    await startWebhookBackground();
    const { startRuntimeMetricsLog } = await import("@/lib/runtime/metrics");
    startRuntimeMetricsLog();
  }
}
