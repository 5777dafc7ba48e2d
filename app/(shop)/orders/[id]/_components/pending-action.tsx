"use client";
import { useEffect, useRef, useState } from "react";

type Action =
  | { type: "redirect"; url: string }
  | { type: "form"; url: string; method: "GET" | "POST"; fields: Record<string, string> }
  | { type: "widget"; scriptUrl: string; config: Record<string, unknown> }
  | { type: "approve_on_phone"; phone: string };

type Labels = { goToPayment: string; openingWidget: string; redirecting: string; timeLeft: string; confirmOnPhone: string };

type KkiapayWindow = Window & {
  openKkiapayWidget?: (config: Record<string, unknown>) => void;
  addSuccessListener?: (cb: (d: { transactionId?: string }) => void) => void;
  addFailedListener?: (cb: (d: { transactionId?: string }) => void) => void;
  addPaymentAbortedListener?: (cb: () => void) => void;
  addPendingListener?: (cb: (d: { transactionId?: string }) => void) => void;
};

/**
 * What the shopper's browser does for an undecided payment: post iPay's signed form, open the
 * KKiaPay widget (its script loaded only here, in the browser), or count down while they approve
 * on their phone. The provider's answer always comes back through /orders/<id>/return.
 */
export function PendingAction({ action, returnUrl, expiresAt, labels, maskedPhone }: { action: Action; returnUrl: string; expiresAt: string | null; labels: Labels; maskedPhone: string }) {
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (action.type === "form") form.current?.submit();
    if (action.type === "widget") openWidget(action, returnUrl);
  }, [action, returnUrl]);

  if (action.type === "form") {
    return (
      <form ref={form} method={action.method} action={action.url} data-testid="provider-form">
        {Object.entries(action.fields).map(([k, v]) => (
          <input key={k} type="hidden" name={k} value={v} />
        ))}
        <p className="text-sm text-stone-600">{labels.redirecting}</p>
        <button type="submit" className="mt-2 min-h-11 w-full rounded-lg bg-brand-700 font-semibold text-white">{labels.goToPayment}</button>
      </form>
    );
  }
  if (action.type === "widget") {
    return (
      <button type="button" onClick={() => openWidget(action, returnUrl)} className="min-h-11 w-full rounded-lg bg-brand-700 font-semibold text-white" data-testid="open-widget">
        {labels.goToPayment}
      </button>
    );
  }
  if (action.type === "redirect") {
    return (
      <a href={action.url} className="flex min-h-11 w-full items-center justify-center rounded-lg bg-brand-700 font-semibold text-white" data-testid="continue-payment">
        {labels.goToPayment}
      </a>
    );
  }
  return (
    <div>
      <p className="font-medium">{labels.confirmOnPhone.replace("{phone}", maskedPhone)}</p>
      {expiresAt && <Countdown until={expiresAt} label={labels.timeLeft} />}
    </div>
  );
}

function openWidget(action: Extract<Action, { type: "widget" }>, returnUrl: string) {
  const w = window as KkiapayWindow;
  // The return URL is a route handler (status check, then 303), not a page: it needs a full
  // navigation, which the rule below assumes is a page.
  const go = (params: string) => {
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    window.location.href = `${returnUrl}${returnUrl.includes("?") ? "&" : "?"}${params}`;
  };
  const open = () => {
    let settled = false;
    // A prompt sent to the phone has a transaction: closing the widget then is no cancellation
    // (the server asks KKiaPay, and the page keeps waiting for the shopper's confirmation).
    let pendingId = "";
    w.addPendingListener?.((d) => (pendingId = d.transactionId ?? ""));
    w.addSuccessListener?.((d) => ((settled = true), go(`transaction_id=${encodeURIComponent(d.transactionId ?? "")}`)));
    w.addFailedListener?.((d) => ((settled = true), go(`transaction_id=${encodeURIComponent(d.transactionId ?? "")}`)));
    w.addPaymentAbortedListener?.(() => !settled && go(pendingId ? `transaction_id=${encodeURIComponent(pendingId)}&cancelled=1` : "cancelled=1"));
    w.openKkiapayWidget?.(action.config);
  };
  if (w.openKkiapayWidget) return open();
  const script = document.createElement("script");
  script.src = action.scriptUrl;
  script.async = true;
  script.onload = open;
  document.head.appendChild(script);
}

function Countdown({ until, label }: { until: string; label: string }) {
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
