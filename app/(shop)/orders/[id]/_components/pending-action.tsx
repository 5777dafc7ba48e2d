"use client";
import { useEffect, useRef, useState } from "react";
import type { NextAction } from "@/lib/payments/types";

/**
 * `explainer`: the state in plain words, replaced by `widgetFailed` when KKiaPay's script does not
 * load; `widgetNeedsScript` says so to a browser running no script at all.
 */
type Labels = { explainer: string; continue: string; widgetFailed: string; widgetNeedsScript: string };

type KkiapayWindow = Window & {
  openKkiapayWidget?: (config: Record<string, unknown>) => void;
  addSuccessListener?: (cb: (d: { transactionId?: string }) => void) => void;
  addFailedListener?: (cb: (d: { transactionId?: string }) => void) => void;
  addPaymentAbortedListener?: (cb: () => void) => void;
  addPendingListener?: (cb: (d: { transactionId?: string }) => void) => void;
};

const button = "flex min-h-12 w-full items-center justify-center rounded-lg bg-brand-700 px-4 font-semibold text-white";

/** Drops `go` from the address, so that a reload or the back button never starts the provider step again. */
function forgetAutoStart() {
  const url = new URL(window.location.href);
  if (!url.searchParams.has("go")) return;
  url.searchParams.delete("go");
  window.history.replaceState(window.history.state, "", url);
}

/**
 * The provider step of an undecided payment: iPay's signed form, KKiaPay's widget (its script
 * loaded only here, in the browser) or a hosted page. It starts by itself only on the visit the
 * checkout sent the shopper to (`autoStart`), once; otherwise the shopper chooses "Continue to
 * payment". The provider's answer always comes back through /orders/<id>/return.
 */
export function PendingAction({ action, autoStart, returnUrl, labels }: { action: Exclude<NextAction, { type: "approve_on_phone" }>; autoStart: boolean; returnUrl: string; labels: Labels }) {
  const form = useRef<HTMLFormElement>(null);
  const started = useRef(false);
  const [widgetFailed, setWidgetFailed] = useState(false);
  useEffect(() => {
    // Once per page: a refresh of the page's data (the status poller) must not start it again.
    if (!autoStart || started.current) return;
    started.current = true;
    forgetAutoStart();
    if (action.type === "form") form.current?.submit();
    if (action.type === "widget") openWidget(action, returnUrl, () => setWidgetFailed(true));
  }, [action, autoStart, returnUrl]);

  const explainer = widgetFailed ? null : (
    <p className="text-sm text-stone-800" data-testid="pending-explainer">
      {labels.explainer}
    </p>
  );
  if (action.type === "form") {
    return (
      <form ref={form} method={action.method} action={action.url} className="space-y-3" data-testid="provider-form">
        {explainer}
        {Object.entries(action.fields).map(([k, v]) => (
          <input key={k} type="hidden" name={k} value={v} />
        ))}
        <button type="submit" className={button} data-testid="continue-payment">{labels.continue}</button>
      </form>
    );
  }
  if (action.type === "widget") {
    return (
      <div className="space-y-3">
        {explainer}
        {widgetFailed && (
          <p className="rounded-lg border border-red-600 bg-red-50 p-3 text-sm text-red-900" role="alert" data-testid="widget-error">
            {labels.widgetFailed}
          </p>
        )}
        <noscript>
          <p className="rounded-lg border border-red-600 bg-red-50 p-3 text-sm text-red-900" data-testid="widget-needs-script">
            {labels.widgetNeedsScript}
          </p>
        </noscript>
        <button
          type="button"
          onClick={() => {
            setWidgetFailed(false);
            openWidget(action, returnUrl, () => setWidgetFailed(true));
          }}
          className={button}
          data-testid="continue-payment"
        >
          {labels.continue}
        </button>
      </div>
    );
  }
  return (
    <div className="space-y-3">
      {explainer}
      <a href={action.url} className={button} data-testid="continue-payment">
        {labels.continue}
      </a>
    </div>
  );
}

function openWidget(action: Extract<NextAction, { type: "widget" }>, returnUrl: string, failed: () => void) {
  const w = window as KkiapayWindow;
  // The return URL is a route handler (status check, then 303), not a page: it needs a full
  // navigation, which the rule below assumes is a page.
  const go = (params: string) => {
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    window.location.href = `${returnUrl}${returnUrl.includes("?") ? "&" : "?"}${params}`;
  };
  const open = () => {
    if (!w.openKkiapayWidget) return failed();
    let settled = false;
    // A prompt sent to the phone has a transaction: closing the widget then is no cancellation
    // (the server asks KKiaPay, and the page keeps waiting for the shopper's confirmation).
    let pendingId = "";
    w.addPendingListener?.((d) => (pendingId = d.transactionId ?? ""));
    w.addSuccessListener?.((d) => ((settled = true), go(`transaction_id=${encodeURIComponent(d.transactionId ?? "")}`)));
    w.addFailedListener?.((d) => ((settled = true), go(`transaction_id=${encodeURIComponent(d.transactionId ?? "")}`)));
    w.addPaymentAbortedListener?.(() => !settled && go(pendingId ? `transaction_id=${encodeURIComponent(pendingId)}&cancelled=1` : "cancelled=1"));
    w.openKkiapayWidget(action.config);
  };
  if (w.openKkiapayWidget) return open();
  const script = document.createElement("script");
  script.src = action.scriptUrl;
  script.async = true;
  script.onload = open;
  // Blocked, offline or down: say so, instead of a button that does nothing.
  script.onerror = () => {
    script.remove();
    failed();
  };
  document.head.appendChild(script);
}
