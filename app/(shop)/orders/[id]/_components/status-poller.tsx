"use client";
import { useRouter } from "next/navigation";
import { useEffect } from "react";

/**
 * Re-renders the order page when its status changes, or what the provider said of the attempt
 * (a prompt that timed out) while it stays open. Backs off from 2 s to 30 s so a phone on a
 * weak connection is not kept busy, and stops once the order is decided.
 */
export function StatusPoller({ orderId, known }: { orderId: string; known: string }) {
  const router = useRouter();
  useEffect(() => {
    let delay = 2000;
    let timer: ReturnType<typeof setTimeout>;
    let stopped = false;
    const tick = async () => {
      try {
        const res = await fetch(`/api/orders/${orderId}/status`, { cache: "no-store" });
        if (res.ok) {
          const body = (await res.json()) as { status: string; payment: { status: string; attemptOutcome: string | null } | null };
          const now = `${body.status}:${body.payment?.status ?? ""}:${body.payment?.attemptOutcome ?? ""}`;
          if (now !== known) {
            router.refresh();
            return;
          }
        }
      } catch {
        // offline for a moment: try again later
      }
      delay = Math.min(delay * 1.5, 30_000);
      if (!stopped) timer = setTimeout(tick, delay);
    };
    timer = setTimeout(tick, delay);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [orderId, known, router]);
  return null;
}
