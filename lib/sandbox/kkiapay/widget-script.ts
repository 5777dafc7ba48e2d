/**
 * GET /k.js — a small stand-in for https://cdn.kkiapay.me/k.js with the same window API (§3.1):
 * openKkiapayWidget(config) returns nothing, every add*Listener keeps ONE handler (a new one
 * replaces the old), and the window "message" listener takes {name, data} from anyone, exactly
 * like the real script (which does not check event.origin either). The widget itself is the
 * simulator's /widget page in an iframe inside an accessible modal.
 */
const EVENTS = {
  success: "PAYMENT_SUCCESS",
  failed: "PAYMENT_FAILED",
  pending: "PENDING_PAYMENT",
  payment_aborted: "PAYMENT_ABORTED",
  payment_init: "PAYMENT_INIT",
  payment_end: "PAYMENT_END",
  widget_init: "WIDGET_SUCCESSFULLY_INIT",
  close: "CLOSE_WIDGET",
  widget_destroyed: "WIDGET_DESTROYED",
  feedback: "FEEDBACK",
} as const;

/** Every global the real script defines; tests check the served script against this list. */
export const KKIAPAY_GLOBALS = [
  "openKkiapayWidget",
  "closeKkiapayWidget",
  "addSuccessListener",
  "addFailedListener",
  "addPendingListener",
  "addPaymentAbortedListener",
  "addPaymentInitListener",
  "addPaymentEndListener",
  "addWidgetInitListener",
  "addKkiapayCloseListener",
  "addWidgetDestroyedListener",
  "addFeedbackListener",
  "onNetworkStateChanged",
  "addKkiapayListener",
  "removeKkiapayListener",
] as const;

export function widgetScript(defaultBase: string): string {
  return `/* KKiaPay widget — Caisse sandbox shim (same globals as https://cdn.kkiapay.me/k.js) */
(function () {
  "use strict";
  if (typeof window === "undefined" || window.openKkiapayWidget) return;
  var current = document.currentScript;
  var BASE = current && current.src ? current.src.replace(/\\/k\\.js(?:[?#].*)?$/, "") : ${JSON.stringify(defaultBase)};
  var ALIASES = ${JSON.stringify(EVENTS)};
  var handlers = {};
  var state = null;

  function eventName(name) { return ALIASES[name] || ALIASES[String(name).toLowerCase()] || name; }
  function slot(name) { return function (cb) { handlers[name] = cb; }; }
  function fire(name, data) {
    var cb = handlers[name];
    if (typeof cb === "function") { try { cb(data); } catch (e) { setTimeout(function () { throw e; }); } }
  }
  function withTransaction(url, id) { return url + (url.indexOf("?") >= 0 ? "&" : "?") + "transaction_id=" + encodeURIComponent(id); }

  function teardown(notify) {
    if (!state) return;
    var s = state;
    state = null;
    document.removeEventListener("keydown", s.onKey, true);
    if (s.overlay.parentNode) s.overlay.parentNode.removeChild(s.overlay);
    document.body.style.overflow = s.overflow;
    if (s.lastFocus && s.lastFocus.focus) s.lastFocus.focus();
    if (notify) fire("CLOSE_WIDGET", {});
  }

  function abort() {
    if (!state) return;
    if (!state.finished) fire("PAYMENT_ABORTED", { transactionId: "", data: state.config.data || "", partnerId: state.config.partnerId || "" });
    teardown(true);
  }

  function open(config) {
    config = config || {};
    if (state) teardown(true);
    var lang = config.lang || (document.documentElement.lang || "fr").slice(0, 2);
    var english = lang === "en";
    var overlay = document.createElement("div");
    overlay.setAttribute("data-kkiapay-widget", "");
    var align = config.position === "left" ? "flex-start" : config.position === "right" ? "flex-end" : "center";
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(0,0,0,.55);display:flex;align-items:center;justify-content:" + align + ";padding:8px";
    var dialog = document.createElement("div");
    dialog.setAttribute("role", "dialog");
    dialog.setAttribute("aria-modal", "true");
    dialog.setAttribute("aria-label", english ? "KKiaPay payment" : "Paiement KKiaPay");
    dialog.style.cssText = "position:relative;width:100%;max-width:420px;height:min(680px,calc(100vh - 16px));background:#fff;border-radius:12px;overflow:hidden;display:flex;flex-direction:column";
    var start = document.createElement("div");
    var end = document.createElement("div");
    start.tabIndex = 0;
    end.tabIndex = 0;
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "\\u00d7";
    close.setAttribute("aria-label", english ? "Close" : "Fermer");
    close.setAttribute("data-testid", "kkiapay-widget-close");
    close.style.cssText = "align-self:flex-end;min-width:44px;min-height:44px;font-size:24px;border:0;background:transparent;cursor:pointer";
    var frame = document.createElement("iframe");
    frame.title = "KKiaPay";
    frame.setAttribute("data-testid", "kkiapay-widget-frame");
    frame.style.cssText = "flex:1;width:100%;border:0";
    frame.src = BASE + "/widget?lang=" + (english ? "en" : "fr") + "&config=" + encodeURIComponent(JSON.stringify(config));
    close.addEventListener("click", abort);
    // Focus trap: the sentinels send Tab back into the dialog from either end.
    start.addEventListener("focus", function () { frame.focus(); });
    end.addEventListener("focus", function () { close.focus(); });
    dialog.appendChild(close);
    dialog.appendChild(frame);
    overlay.appendChild(start);
    overlay.appendChild(dialog);
    overlay.appendChild(end);
    var onKey = function (e) { if (e.key === "Escape") { e.preventDefault(); abort(); } };
    state = { config: config, overlay: overlay, finished: false, lastFocus: document.activeElement, overflow: document.body.style.overflow, onKey: onKey };
    document.addEventListener("keydown", onKey, true);
    document.body.style.overflow = "hidden";
    document.body.appendChild(overlay);
    close.focus();
  }

  window.addEventListener("message", function (event) {
    var msg = event.data;
    if (!msg || typeof msg !== "object" || typeof msg.name !== "string") return;
    var data = msg.data || {};
    fire(msg.name, data);
    var config = state ? state.config : {};
    if (msg.name === "PAYMENT_SUCCESS") {
      if (state) state.finished = true;
      var ok = config.callback || config.successCallback;
      if (ok && data.transactionId) window.location.href = withTransaction(ok, data.transactionId);
    } else if (msg.name === "PAYMENT_FAILED") {
      if (state) state.finished = true;
      if (config.failed_callback && data.transactionId) window.location.href = withTransaction(config.failed_callback, data.transactionId);
    } else if (msg.name === "PAYMENT_ABORTED") {
      if (state) state.finished = true;
    } else if (msg.name === "CLOSE_WIDGET") {
      teardown(false);
    }
  });

  window.openKkiapayWidget = function (config) { open(config); };
  window.closeKkiapayWidget = function () { abort(); };
  window.addSuccessListener = slot("PAYMENT_SUCCESS");
  window.addFailedListener = slot("PAYMENT_FAILED");
  window.addPendingListener = slot("PENDING_PAYMENT");
  window.addPaymentAbortedListener = slot("PAYMENT_ABORTED");
  window.addPaymentInitListener = slot("PAYMENT_INIT");
  window.addPaymentEndListener = slot("PAYMENT_END");
  window.addWidgetInitListener = slot("WIDGET_SUCCESSFULLY_INIT");
  window.addKkiapayCloseListener = slot("CLOSE_WIDGET");
  window.addWidgetDestroyedListener = slot("WIDGET_DESTROYED");
  window.addFeedbackListener = slot("FEEDBACK");
  window.onNetworkStateChanged = slot("NETWORK_STATE_CHANGED");
  window.addKkiapayListener = function (event, cb) { handlers[eventName(event)] = cb; };
  window.removeKkiapayListener = function (event) { delete handlers[eventName(event)]; };
})();
`;
}
