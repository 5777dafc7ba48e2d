import { pageLang } from "@/lib/sandbox/html";
import { targetsOf } from "@/lib/sandbox/targets";
import type { SandboxDeps } from "@/lib/sandbox/types";
import { lockedPhone, notFoundPage, offeredMethods, pagePath, paymentPage, resultPage, waitingPage } from "./hosted-page";
import { texts } from "./i18n";
import { applyChoice, applyConfirmation, choiceSchema, confirmSchema } from "./outcome";
import { findByToken, type Txn } from "./store";

function langFor(req: Request, txn: Txn | null) {
  return pageLang(new URL(req.url), typeof txn?.request.lang === "string" ? txn.request.lang : undefined);
}

function showState(req: Request, txn: Txn, deps: SandboxDeps): Response {
  const lang = langFor(req, txn);
  if (txn.status === "CREATED") return paymentPage(txn, lang);
  if (txn.status === "WAITING_FOR_CUSTOMER") return waitingPage(txn, lang);
  return resultPage(txn, lang, targetsOf(deps));
}

/** Post/redirect/get: a reload never submits an outcome twice. */
function seeState(req: Request, txn: Txn): Response {
  return new Response(null, { status: 303, headers: { location: `${pagePath(txn)}?lang=${langFor(req, txn)}` } });
}

/** GET/POST /payment/<token>[/confirm]: the hosted checkout page and the tester's choices. */
export async function hostedPage(req: Request, token: string, action: string | undefined, deps: SandboxDeps): Promise<Response | null> {
  const txn = await findByToken(deps, token);
  if (!txn) return notFoundPage(langFor(req, null));
  if (req.method === "GET" && !action) return showState(req, txn, deps);
  if (req.method !== "POST") return null;
  const form = new URLSearchParams(await req.text());

  if (action === "confirm") {
    const decision = confirmSchema.safeParse(Object.fromEntries(form));
    if (txn.status !== "WAITING_FOR_CUSTOMER" || !decision.success) return seeState(req, txn);
    return seeState(req, (await applyConfirmation(deps, txn, decision.data)) ?? txn);
  }
  if (action) return null;
  if (txn.status !== "CREATED") return seeState(req, txn);
  const t = texts(langFor(req, txn));
  const locked = lockedPhone(txn);
  const choice = choiceSchema.safeParse({ action: "pay", ...Object.fromEntries(form), ...(locked !== null ? { phone: locked } : {}) });
  if (!choice.success) return paymentPage(txn, langFor(req, txn), t.choiceRequired);
  if (choice.data.action === "pay" && !offeredMethods(txn).includes(choice.data.method)) return paymentPage(txn, langFor(req, txn), t.choiceRequired);
  if (choice.data.action === "pay" && choice.data.method !== "CARD" && !/^\d{6,15}$/.test(choice.data.phone)) {
    return paymentPage(txn, langFor(req, txn), t.phoneRequired);
  }
  return seeState(req, (await applyChoice(deps, txn, choice.data, form)) ?? txn);
}
