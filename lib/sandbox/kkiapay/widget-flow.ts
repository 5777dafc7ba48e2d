import { findSandboxAccount, merchantName, type SandboxAccount } from "@/lib/sandbox/accounts";
import { apiFault, faultsSchema, getAccountFaults } from "@/lib/sandbox/faults";
import { faultsFromForm, pageLang, type SandboxLang } from "@/lib/sandbox/html";
import { targetsOf } from "@/lib/sandbox/targets";
import type { SandboxDeps } from "@/lib/sandbox/types";
import { FAILURE_MESSAGES, strings, type Strings } from "./i18n";
import { notifyFinal } from "./notifications";
import { confirmFormSchema, offeredOperators, parseWidgetConfig, payFormSchema, type FailureCode, type Operator, type WidgetConfig } from "./schemas";
import { createTransaction, findTransaction, merchantOf, transition, type KkiapayState, type KkiapayStatus } from "./store";
import { widgetErrorPage, widgetPage } from "./widget-page";
import { resultPage } from "./widget-result";

type Loaded = { config: WidgetConfig; account: SandboxAccount } | { error: keyof Strings };

/** The widget refuses what the real one refuses: an unknown key, a live call with a sandbox key, a bad amount. */
async function loadConfig(deps: SandboxDeps, raw: string | null): Promise<Loaded> {
  let json: unknown;
  try {
    json = JSON.parse(raw ?? "");
  } catch {
    return { error: "badConfig" };
  }
  const config = parseWidgetConfig(json);
  if (!config) return { error: "badConfig" };
  if (!Number.isInteger(config.amount) || config.amount < 1) return { error: "badAmount" };
  const account = await findSandboxAccount(deps, "kkiapay", config.key);
  if (!account) return { error: "badKey" };
  if (!config.sandbox) return { error: "notSandbox" };
  return { config, account };
}

/** The "init" fault stands for the widget failing to start a payment (KKiaPay has no server-side init). */
async function initFault(deps: SandboxDeps, account: SandboxAccount, req: Request): Promise<Response | null> {
  return apiFault((await getAccountFaults(deps, "kkiapay", account.publicId)).init, req);
}

function langOf(url: URL, config?: WidgetConfig | null): SandboxLang {
  return pageLang(url, config?.lang);
}

/** GET /widget?config=<JSON of openKkiapayWidget's config>&lang=fr|en — the iframe k.js opens. */
export async function showWidget(req: Request, deps: SandboxDeps): Promise<Response> {
  const url = new URL(req.url);
  const raw = url.searchParams.get("config");
  const loaded = await loadConfig(deps, raw);
  if ("error" in loaded) return widgetErrorPage(strings(langOf(url))[loaded.error], langOf(url));
  return (await initFault(deps, loaded.account, req)) ?? widgetPage(loaded.config, raw!, langOf(url, loaded.config), undefined, await merchantName(deps, loaded.account.merchantId));
}

/** Fees KKiaPay keeps (simulated contract: 1.9 % on mobile money, 3.5 % on cards, rounded up). */
export function simulatedFees(amount: number, operator: Operator): number {
  return Math.ceil((amount * (operator === "card" ? 350 : 190)) / 10_000);
}

/** POST /widget/pay — the shopper pressed Pay (or Cancel) in the widget. */
export async function payFromWidget(req: Request, deps: SandboxDeps): Promise<Response> {
  const url = new URL(req.url);
  const fields = new URLSearchParams(await req.text());
  const form = payFormSchema.safeParse(Object.fromEntries(fields));
  const lang = pageLang(url, fields.get("lang") ?? undefined);
  if (!form.success) return widgetErrorPage(strings(lang).badConfig, lang);
  const loaded = await loadConfig(deps, form.data.config);
  if ("error" in loaded) return widgetErrorPage(strings(lang)[loaded.error], lang);
  const { config, account } = loaded;

  const fault = await initFault(deps, account, req);
  if (fault) return fault;
  // Closing the widget before paying creates nothing at KKiaPay: no transaction, no webhook.
  if (form.data.action === "abort") return resultPage({ outcome: "abort", config, txn: null, lang, targets: targetsOf(deps) });

  const offered = offeredOperators(config);
  const operator = form.data.operator ?? offered[0]!;
  if (!offered.includes(operator)) return widgetPage(config, form.data.config, lang, strings(lang).operatorNotOffered, await merchantName(deps, account.merchantId));
  const phone = form.data.phone?.replace(/[^\d+]/g, "") || null;
  if (operator !== "card" && !phone) return widgetPage(config, form.data.config, lang, strings(lang).phoneRequired, await merchantName(deps, account.merchantId));

  const outcome = form.data.outcome ?? "success";
  const status: KkiapayStatus = outcome === "success" ? "SUCCESS" : outcome === "failed" ? "FAILED" : "PENDING";
  const payFaults = faultsSchema.safeParse(faultsFromForm(fields));
  const txn = await createTransaction(deps, {
    accountId: account.publicId,
    config,
    status,
    operator,
    phone: operator === "card" ? null : phone,
    feeMinor: simulatedFees(config.amount, operator),
    state: {
      performedAt: (deps.now?.() ?? new Date()).toISOString(),
      stateData: config.data ?? null,
      partnerId: config.partnerId,
      source: operator === "card" ? "CARD" : "MOBILE_MONEY",
      country: (await merchantOf(deps, account.merchantId))?.country ?? "BJ",
      lang,
      ...(status === "FAILED" ? failure(form.data.failureCode, lang) : {}),
    },
    faults: payFaults.success ? payFaults.data : {},
  });
  if (status !== "PENDING") await notifyFinal(deps, txn);
  return resultPage({ outcome, config, txn, lang, targets: targetsOf(deps) });
}

function failure(code: FailureCode | undefined, lang: SandboxLang): KkiapayState {
  const failureCode = code ?? "insufficient_fund";
  return { failureCode, failureMessage: FAILURE_MESSAGES[failureCode][lang] };
}

/** POST /widget/confirm — what the shopper does on the phone after a PENDING_PAYMENT. */
export async function confirmFromWidget(req: Request, deps: SandboxDeps): Promise<Response> {
  const url = new URL(req.url);
  const fields = new URLSearchParams(await req.text());
  const lang = pageLang(url, fields.get("lang") ?? undefined);
  const form = confirmFormSchema.safeParse(Object.fromEntries(fields));
  const txn = form.success ? await findTransaction(deps, form.data.transactionId) : null;
  if (!form.success || !txn) return widgetErrorPage(strings(lang).unknownTransaction, lang, 404);
  const to: KkiapayStatus = form.data.outcome === "success" ? "SUCCESS" : "FAILED";
  const done = await transition(deps, txn, "PENDING", to, {
    performedAt: (deps.now?.() ?? new Date()).toISOString(),
    ...(to === "FAILED" ? failure(form.data.failureCode, lang) : {}),
  });
  if (!done) return widgetErrorPage(strings(lang).unknownTransaction, lang, 409);
  await notifyFinal(deps, done);
  const config = parseWidgetConfig(done.request);
  if (!config) return widgetErrorPage(strings(lang).badConfig, lang, 500);
  return resultPage({ outcome: form.data.outcome, config, txn: done, lang, targets: targetsOf(deps) });
}
