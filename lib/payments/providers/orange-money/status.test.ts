import { describe, expect, it } from "vitest";
import { canonicalStatus } from "./status";

const now = new Date("2026-11-22T12:00:00Z");
const inWindow = { expiresAt: new Date("2026-11-22T12:05:00Z"), now };
const pastWindow = { expiresAt: new Date("2026-11-22T11:59:59Z"), now };
const noWindow = { now };

describe("Orange Money status mapping (PROVIDERS.md §2.4)", () => {
  it.each([
    { om: "INITIATED", window: inWindow, expected: "waiting_for_customer" },
    { om: "INITIATED", window: pastWindow, expected: "expired" },
    { om: "INITIATED", window: noWindow, expected: "waiting_for_customer" },
    { om: "PENDING", window: pastWindow, expected: "pending" },
    { om: "EXPIRED", window: inWindow, expected: "expired" },
    { om: "SUCCESS", window: pastWindow, expected: "paid" },
    { om: "FAILED", window: inWindow, expected: "failed" },
    { om: "success", window: inWindow, expected: "paid" },
    { om: "CANCELLED", window: inWindow, expected: "pending" },
    { om: "", window: inWindow, expected: "pending" },
  ])("$om → $expected", ({ om, window, expected }) => {
    expect(canonicalStatus(om, window)).toBe(expected);
  });
});
