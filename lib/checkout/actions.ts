"use server";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { paymentDeps } from "@/lib/payments/deps";
import { measureProviderTime } from "@/lib/payments/timing";
import { logger } from "@/lib/log";
import type { CheckoutState } from "./schema";
import { submitCheckout, submitPayLink, submitRetry, type SubmitDeps } from "./submit";

/** The shopper's forms; what they do is in submit.ts, here only what needs Next (translations, redirects). */
async function deps(): Promise<SubmitDeps> {
  const [payments, t] = await Promise.all([paymentDeps(), getTranslations("checkout.errors")]);
  return { payments, t: (key: string) => t(key as never) };
}

/**
 * Runs an initialization and, when it produced somewhere to send the shopper, logs how long it
 * took and how much of that was spent waiting on the provider (our overhead is the difference).
 */
async function timedInitialization(kind: "cart" | "link", work: () => Promise<CheckoutState | string>): Promise<CheckoutState | string> {
  const { result, timing, totalMs } = await measureProviderTime(work);
  if (typeof result === "string") {
    const round = (v: number) => Math.round(v * 100) / 100;
    logger("checkout").info({ kind, totalMs: round(totalMs), providerMs: round(timing.providerMs), providerCalls: timing.providerCalls }, "checkout initialized");
  }
  return result;
}

export async function checkoutAction(_prev: CheckoutState, form: FormData): Promise<CheckoutState> {
  const target = await timedInitialization("cart", async () => submitCheckout(await deps(), form));
  if (typeof target !== "string") return target;
  redirect(target);
}

export async function payLinkAction(_prev: CheckoutState, form: FormData): Promise<CheckoutState> {
  const target = await timedInitialization("link", async () => submitPayLink(await deps(), form));
  if (typeof target !== "string") return target;
  redirect(target);
}

/** "Try again" on the order page: a new payment on the same open order, never a second charge. */
export async function retryAction(_prev: CheckoutState, form: FormData): Promise<CheckoutState> {
  const target = await submitRetry(await deps(), form);
  if (typeof target !== "string") return target;
  redirect(target);
}
