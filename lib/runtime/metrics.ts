import { monitorEventLoopDelay } from "node:perf_hooks";
import { env } from "@/lib/env";
import { logger } from "@/lib/log";

/**
 * The server's own health over time, as log lines rather than an endpoint (nothing to protect,
 * nothing for a stranger to poll): every `intervalSeconds`, the event-loop delay since the last
 * line (how long ready callbacks waited for the loop) and the process's memory. Off unless
 * RUNTIME_METRICS_INTERVAL_SECONDS asks for it; the soak benchmark reads these lines.
 */
export type RuntimeMetrics = {
  eventLoopDelayMs: { p50: number; p99: number; max: number; mean: number };
  memoryBytes: { rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number };
};

/** The histogram's timer: the loop is sampled every 10 ms. */
const RESOLUTION_MS = 10;

export function startRuntimeMetrics(intervalSeconds: number, emit: (metrics: RuntimeMetrics) => void): () => void {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  // Each sample is the time between two ticks of a RESOLUTION_MS timer: what exceeds it is delay.
  const ms = (ns: number) => Math.max(0, Math.round(ns / 1e4 - RESOLUTION_MS * 100) / 100);
  const timer = setInterval(() => {
    const memory = process.memoryUsage();
    emit({
      eventLoopDelayMs: { p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max), mean: ms(histogram.mean) },
      memoryBytes: { rss: memory.rss, heapUsed: memory.heapUsed, heapTotal: memory.heapTotal, external: memory.external, arrayBuffers: memory.arrayBuffers },
    });
    histogram.reset();
  }, intervalSeconds * 1000);
  timer.unref();
  return () => {
    clearInterval(timer);
    histogram.disable();
  };
}

/** Started once per server process from instrumentation.ts, when RUNTIME_METRICS_INTERVAL_SECONDS is set. */
export function startRuntimeMetricsLog(): void {
  const seconds = env().RUNTIME_METRICS_INTERVAL_SECONDS;
  if (!seconds) return;
  const g = globalThis as unknown as { __caisseRuntimeMetrics?: () => void };
  g.__caisseRuntimeMetrics ??= startRuntimeMetrics(seconds, (metrics) => logger("runtime").info(metrics, "runtime metrics"));
}
