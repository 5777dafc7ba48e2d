import type { Tone } from "@/lib/checkout/order-view";

const TONES: Record<Tone, string> = {
  success: "border-green-700 bg-green-50 text-green-900",
  failure: "border-red-700 bg-red-50 text-red-900",
  waiting: "border-amber-600 bg-amber-50 text-amber-950",
  neutral: "border-stone-400 bg-stone-100 text-stone-900",
};

/** One path per tone: a tick, a cross, a clock, an "i". The words beside it carry the meaning. */
const ICONS: Record<Tone, string> = {
  success: "M5 10.5l3.5 3.5L15 7",
  failure: "M6.5 6.5l7 7m0-7l-7 7",
  waiting: "M10 5.5V10l3 2",
  neutral: "M10 9v5m0-7.5v.01",
};

/**
 * The order's state in words, with a colour and an icon that differ between success, failure and
 * waiting (never colour alone). Fixed height: the text changes in place without moving the page.
 */
export function StatusBanner({ state, tone, text }: { state: string; tone: Tone; text: string }) {
  return (
    <p className={`mt-4 flex min-h-14 items-center gap-3 rounded-lg border-l-4 px-3 font-semibold ${TONES[tone]}`} data-testid="order-status" data-status={state} data-tone={tone} role="status" aria-live="polite">
      <svg viewBox="0 0 20 20" className="size-6 shrink-0" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
        <circle cx="10" cy="10" r="8.5" />
        <path d={ICONS[tone]} />
      </svg>
      <span>{text}</span>
    </p>
  );
}
