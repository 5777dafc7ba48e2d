import type { SandboxProvider } from "@/lib/sandbox/types";
import { handleApi } from "./api";
import { widgetScript } from "./widget-script";
import { confirmFromWidget, payFromWidget, showWidget } from "./widget-flow";

/**
 * KKiaPay as seen from outside (PROVIDERS.md §3, §5): the widget script and its iframe page
 * (cdn.kkiapay.me/k.js, widget-v3.kkiapay.me), and the server API of api-sandbox.kkiapay.me.
 * Webhooks go to the account's dashboard URL (control API settings.webhookUrl).
 */
export const kkiapaySandbox: SandboxProvider = {
  id: "kkiapay",
  async handle(req, path, deps) {
    const route = path.join("/");
    if (route === "k.js" && req.method === "GET") {
      return new Response(widgetScript(`${deps.origin}/sandbox/kkiapay`), {
        headers: { "content-type": "application/javascript; charset=utf-8", "cache-control": "no-cache" },
      });
    }
    if (route === "widget" && req.method === "GET") return showWidget(req, deps);
    if (route === "widget/pay" && req.method === "POST") return payFromWidget(req, deps);
    if (route === "widget/confirm" && req.method === "POST") return confirmFromWidget(req, deps);
    if (route === "api/v1/transactions/status") return handleApi(req, "status", deps);
    if (route === "api/v1/transactions/revert") return handleApi(req, "revert", deps);
    return null;
  },
  // The control API is a back-office feature: it takes the private key, like the server API.
  controlSecret: (credentials) => credentials.privateKey ?? "",
};
