"use server";
import { formArg } from "@/lib/validation";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getDb } from "@/db";
import { editCheckoutLine } from "@/lib/cart/line-edit";
import { writeCart } from "@/lib/cart/server";
import { logger } from "@/lib/log";
import { paymentDeps } from "@/lib/payments/deps";
import { measureProviderTime } from "@/lib/payments/timing";
import { placeCartOrder, placeLinkOrder, placeSessionOrder, retryOrder, typedValues, type PlaceDeps } from "./place";
import type { CheckoutState } from "./schema";
import { stockMessage } from "./stock-message";

async function placeDeps(): Promise<PlaceDeps> {
  const t = await getTranslations("checkout.errors");
  return { db: await getDb(), payments: paymentDeps, t: (key, values) => t(key as never, values as never) };
}

/**
 * Runs an initialization and, when it produced somewhere to send the shopper, logs how long it
 * took and how much of that was spent waiting on the provider (our overhead is the difference).
 */
async function timedInitialization(kind: "cart" | "link" | "session", work: () => Promise<CheckoutState | string>): Promise<CheckoutState | string> {
  const { result, timing, totalMs } = await measureProviderTime(work);
  if (typeof result === "string") {
    const round = (v: number) => Math.round(v * 100) / 100;
    logger("checkout").info({ kind, totalMs: round(totalMs), providerMs: round(timing.providerMs), providerCalls: timing.providerCalls }, "checkout initialized");
  }
  return result;
}

export async function checkoutAction(_prev: CheckoutState, form: FormData): Promise<CheckoutState> {
  form = formArg(form);
  const deps = await placeDeps();
  // −, + or remove: the cart changed, the page comes back with the fields as typed, and a + past
  // the stock is told at its line.
  const edited = await editCheckoutLine(form);
  if (edited) {
    const { short } = edited;
    return { fieldErrors: {}, values: typedValues(form), lineErrors: short ? { [short.productId]: stockMessage(short, deps.t) } : undefined };
  }
  const target = await timedInitialization("cart", () => placeCartOrder(deps, form));
  if (typeof target !== "string") return target;
  // The cart became an order (placeCartOrder checked the store's slug): the shop starts afresh.
  await writeCart(String(form.get("merchant")), []);
  redirect(target);
}

export async function payLinkAction(_prev: CheckoutState, form: FormData): Promise<CheckoutState> {
  form = formArg(form);
  const deps = await placeDeps();
  const target = await timedInitialization("link", () => placeLinkOrder(deps, form));
  if (typeof target !== "string") return target;
  redirect(target);
}

/** An API checkout session's page: the session's amount and mode, the payment link's flow. */
export async function sessionPayAction(_prev: CheckoutState, form: FormData): Promise<CheckoutState> {
  form = formArg(form);
  const deps = await placeDeps();
  const target = await timedInitialization("session", () => placeSessionOrder(deps, form));
  if (typeof target !== "string") return target;
  redirect(target);
}

/** "Try again" on the order page: a new payment on the same open order, never a second charge. */
export async function retryAction(_prev: CheckoutState, form: FormData): Promise<CheckoutState> {
  form = formArg(form);
  const target = await retryOrder(await placeDeps(), form);
  if (typeof target !== "string") return target;
  redirect(target);
}

/**
 * "Didn't get the prompt? Send it again": a new prompt, as a new attempt on the same order. A
 * plain form action, so the button works before (and without) JavaScript.
 */
export async function resendAction(form: FormData): Promise<void> {
  form = formArg(form);
  const deps = await placeDeps();
  const target = await retryOrder(deps, form);
  if (typeof target === "string") redirect(target);
  // A shopper pressing again and again spends the order's attempts (lib/checkout/attempt-limit.ts):
  // the page must say so, or the button seems to do nothing.
  const limited = target?.refusal === "too_many_attempts";
  redirect(`/orders/${encodeURIComponent(String(form.get("order") ?? ""))}${limited ? "?resend=limited" : ""}`);
}
