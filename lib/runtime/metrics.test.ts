import { describe, expect, it } from "vitest";
import { startRuntimeMetrics, type RuntimeMetrics } from "./metrics";

describe("runtime metrics", () => {
  it("reports a blocked event loop as delay, and the process's memory", async () => {
    const lines: RuntimeMetrics[] = [];
    const stop = startRuntimeMetrics(0.3, (m) => lines.push(m));
    try {
      await new Promise((r) => setTimeout(r, 50));
      const blockedUntil = Date.now() + 150;
      while (Date.now() < blockedUntil); // nothing else can run meanwhile
      while (lines.length === 0) await new Promise((r) => setTimeout(r, 20));
    } finally {
      stop();
    }
    const [first] = lines;
    // The 10 ms sampling timer could not fire for 150 ms: one sample waited ≥ 140 ms beyond its tick.
    expect(first!.eventLoopDelayMs.max).toBeGreaterThanOrEqual(130);
    expect(first!.eventLoopDelayMs.p50).toBeLessThan(first!.eventLoopDelayMs.max);
    expect(first!.memoryBytes.rss).toBeGreaterThan(first!.memoryBytes.heapUsed);
  });
});
