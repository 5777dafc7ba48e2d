import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Time spent waiting on providers during one unit of work (a checkout initialization), so that
 * our own overhead can be told apart from theirs in logs and benchmarks. providerFetch adds to
 * whatever measurement is in progress; outside one it costs nothing.
 */
export type ProviderTiming = { providerMs: number; providerCalls: number };

const storage = new AsyncLocalStorage<ProviderTiming>();

export async function measureProviderTime<T>(work: () => Promise<T>): Promise<{ result: T; timing: ProviderTiming; totalMs: number }> {
  const timing: ProviderTiming = { providerMs: 0, providerCalls: 0 };
  const started = performance.now();
  const result = await storage.run(timing, work);
  return { result, timing, totalMs: performance.now() - started };
}

export function addProviderTime(ms: number): void {
  const timing = storage.getStore();
  if (!timing) return;
  timing.providerMs += ms;
  timing.providerCalls += 1;
}
