"use client";
import { useEffect, useState } from "react";

/** Time left to answer a phone prompt; "--:--" until the browser's clock is known. */
export function Countdown({ until, label }: { until: string; label: string }) {
  const end = new Date(until).getTime();
  const [left, setLeft] = useState<number | null>(null);
  useEffect(() => {
    const tick = () => setLeft(Math.max(0, Math.round((end - Date.now()) / 1000)));
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [end]);
  const text = left === null ? "--:--" : `${String(Math.floor(left / 60)).padStart(2, "0")}:${String(left % 60).padStart(2, "0")}`;
  return (
    <p className="mt-2 text-sm tabular-nums" data-testid="countdown" aria-live="off">
      {label.replace("{time}", text)}
    </p>
  );
}
