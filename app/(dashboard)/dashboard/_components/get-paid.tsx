import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Card } from "@/components/ui/card";
import type { GetPaidStep } from "@/lib/stores/get-paid";

/** The overview's "get paid" checklist, gone once every step is done. Done steps say so in words, not colour alone. */
export async function GetPaidChecklist({ steps }: { steps: GetPaidStep[] }) {
  const done = steps.filter((s) => s.done).length;
  if (done === steps.length) return null;
  const t = await getTranslations("dashboard.getPaid");
  return (
    <Card data-testid="get-paid">
      <h2 className="text-lg font-semibold">{t("title")}</h2>
      <p className="mb-3 text-sm text-stone-600">{t("intro", { done, total: steps.length })}</p>
      <ol className="space-y-2">
        {steps.map((step, i) => {
          const label = `${i + 1}. ${t(`steps.${step.key}`)}`;
          const className = `flex min-h-11 items-center justify-between gap-3 rounded-lg border px-3 py-2 text-sm ${step.done ? "border-green-200 bg-green-50 text-stone-700" : "border-stone-300 bg-white font-medium"}`;
          const body = (
            <>
              <span className={step.done ? "line-through decoration-stone-400" : "text-brand-700 underline"}>{label}</span>
              <span className={`shrink-0 text-xs font-semibold ${step.done ? "text-green-800" : "text-stone-600"}`} data-testid="get-paid-state">
                {step.done ? `✓ ${t("done")}` : t("todo")}
              </span>
            </>
          );
          return (
            <li key={step.key} data-testid="get-paid-step" data-step={step.key} data-done={step.done ? "true" : "false"}>
              {/* The storefront is a full load: the shopper's pages run under another Content-Security-Policy (components/site-header.tsx). */}
              {step.href.startsWith("/dashboard") ? (
                <Link href={step.href} className={className}>
                  {body}
                </Link>
              ) : (
                <a href={step.href} className={className}>
                  {body}
                </a>
              )}
            </li>
          );
        })}
      </ol>
    </Card>
  );
}
