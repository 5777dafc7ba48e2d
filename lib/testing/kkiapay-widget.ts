import { offeredOperators, parseWidgetConfig } from "@/lib/sandbox/kkiapay/schemas";
import { readWidgetResult, type WidgetResult } from "@/lib/sandbox/kkiapay/test-support";

/**
 * What the KKiaPay widget iframe posts when the shopper acts in it (Pay, or the phone's answer),
 * as a browser would; the widget's events come back in the result page.
 */
export async function payInWidget(appUrl: string, config: Record<string, unknown>, fields: Record<string, string>): Promise<WidgetResult> {
  // The operator the widget offers first (the one the shopper chose at the checkout, when it did).
  const parsed = parseWidgetConfig(config);
  const operator = parsed ? offeredOperators(parsed)[0]! : "mtn";
  const res = await fetch(`${appUrl}/sandbox/kkiapay/widget/pay`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ config: JSON.stringify(config), action: "pay", operator, phone: "0707070707", ...fields }),
  });
  return readWidgetResult(res.status, await res.text());
}

export async function confirmOnPhone(appUrl: string, transactionId: string, outcome: "success" | "failed"): Promise<void> {
  const res = await fetch(`${appUrl}/sandbox/kkiapay/widget/confirm`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ transactionId, outcome }),
  });
  if (!res.ok) throw new Error(`widget confirm: HTTP ${res.status}`);
}
