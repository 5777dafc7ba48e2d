import type { WidgetConfig } from "./schemas";

export const WIDGET_BASE = "/sandbox/kkiapay/widget";

export type WidgetEvent = { name: string; data: Record<string, unknown> };
export type WidgetOutcome = "success" | "failed" | "pending" | "abort";

/** `${callback}${sep}transaction_id=<id>`, as the widget (and the WooCommerce fallback) builds it. */
export function callbackUrl(base: string, transactionId: string): string {
  return `${base}${base.includes("?") ? "&" : "?"}transaction_id=${encodeURIComponent(transactionId)}`;
}

/** The events the real widget posts to window.parent, with their ListenerData shape. */
export function widgetEvents(outcome: WidgetOutcome, config: WidgetConfig, transactionId: string): WidgetEvent[] {
  const listenerData = { transactionId, data: config.data ?? "", partnerId: config.partnerId };
  switch (outcome) {
    case "success":
      return [{ name: "PAYMENT_SUCCESS", data: listenerData }, { name: "PAYMENT_END", data: { transactionId } }];
    case "failed":
      return [{ name: "PAYMENT_FAILED", data: listenerData }, { name: "PAYMENT_END", data: { transactionId } }];
    case "pending":
      return [{ name: "PAYMENT_INIT", data: { transactionId } }, { name: "PENDING_PAYMENT", data: listenerData }];
    case "abort":
      return [{ name: "PAYMENT_ABORTED", data: listenerData }, { name: "CLOSE_WIDGET", data: {} }];
  }
}

/** JSON safe to inline in a <script> element. */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

/** Posts to the parent page (k.js) like the real widget iframe does; nothing when standalone. */
export function postToParent(events: WidgetEvent[]): string {
  return `<script>(function(){var e=${inlineJson(events)};if(window.parent&&window.parent!==window){e.forEach(function(m){window.parent.postMessage(m,"*")})}})()</script>`;
}
