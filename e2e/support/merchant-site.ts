import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

/**
 * "The merchant's site": a separate small node:http server, written as a real integration with
 * Caisse would be. Its shopper presses "Pay" (POST /buy): the server creates a checkout session
 * with its secret key and sends the browser to the session's `url`. Caisse sends the shopper back
 * to /success?session_id=…, where the server asks the API for the session before it believes it
 * (a query string proves nothing) and marks its own order paid; /cancel is the way back unpaid.
 *
 * Its webhook receiver (POST /caisse-webhooks, registered through the API by `listen()`) checks
 * each delivery with the official `standardwebhooks` package and the secret Caisse returned once,
 * ignores an id it already handled (retries keep their webhook-id), and on
 * `checkout.session.completed` marks its order paid by webhook.
 *
 * `routes` add endpoints of the test's own: "METHOD /path" → handler, given the raw body as text.
 * Every request is kept in `requests`.
 */
export type MerchantOrder = { reference: string; amount: number; sessionId: string | null; paid: boolean; paidByWebhook: boolean };
/** A delivery as the receiver saw it: verified or refused, and its webhook-id. */
export type ReceivedWebhook = { id: string; type: string | null; verified: boolean; duplicate: boolean; data?: Record<string, unknown> };
export type ExtraRoute = (req: IncomingMessage, body: string, site: MerchantSite) => Promise<{ status: number; body?: string; headers?: Record<string, string> }>;
export type SessionRequest = { amount?: number; line_items?: { name: string; unit_amount: number; quantity: number }[]; currency: string; customer?: Record<string, string> };
export type MerchantSite = {
  url: string;
  orders: Map<string, MerchantOrder>;
  requests: { method: string; path: string; body: string }[];
  /** What the next "Pay" asks Caisse for (amount or lines, currency, customer). */
  nextSession: SessionRequest;
  webhooks: ReceivedWebhook[];
  /** Registers the receiver for these events with the API key; the answer's secret verifies deliveries. */
  listen: (events: string[]) => Promise<void>;
  close: () => Promise<void>;
};

const page = (title: string, body: string) =>
  `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function startMerchantSite(options: { caisseUrl: string; apiKey: string; routes?: Record<string, ExtraRoute> }): Promise<MerchantSite> {
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${options.caisseUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${options.apiKey}`, ...(body ? { "content-type": "application/json", "idempotency-key": crypto.randomUUID() } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  let verifier: Webhook | null = null;
  const site: MerchantSite = {
    url: "",
    orders: new Map(),
    requests: [],
    nextSession: { amount: 2_500, currency: "XOF" },
    webhooks: [],
    listen: async (events) => {
      const made = await api("POST", "/webhook-endpoints", { url: `${site.url}/caisse-webhooks`, enabled_events: events, description: "merchant site (e2e)" });
      if (made.status !== 201) throw new Error(`webhook endpoint refused: ${JSON.stringify(made.body)}`);
      verifier = new Webhook(String(made.body.secret));
    },
    close: async () => {},
  };

  /** As a merchant writes it: verify, deduplicate on webhook-id, act, answer 2xx fast. */
  function receiveWebhook(req: IncomingMessage, body: string) {
    const id = String(req.headers["webhook-id"] ?? "");
    let event: { type: string; data: Record<string, unknown> };
    try {
      event = verifier!.verify(body, req.headers as Record<string, string>) as typeof event;
    } catch {
      site.webhooks.push({ id, type: null, verified: false, duplicate: false });
      return 400;
    }
    const duplicate = site.webhooks.some((w) => w.verified && w.id === id);
    site.webhooks.push({ id, type: event.type, verified: true, duplicate, data: event.data });
    if (!duplicate && event.type === "checkout.session.completed") {
      const order = site.orders.get(String(event.data.client_reference));
      if (order && order.sessionId === event.data.id && event.data.status === "complete") order.paidByWebhook = true;
    }
    return 204;
  }

  async function handle(req: IncomingMessage, res: ServerResponse, body: string) {
    const url = new URL(req.url ?? "/", site.url);
    const send = (status: number, html: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "text/html; charset=utf-8", ...headers });
      res.end(html);
    };
    if (req.method === "POST" && url.pathname === "/caisse-webhooks" && verifier) {
      res.writeHead(receiveWebhook(req, body));
      res.end();
      return;
    }
    const extra = options.routes?.[`${req.method} ${url.pathname}`];
    if (extra) {
      const answer = await extra(req, body, site);
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? "");
      return;
    }
    if (req.method === "GET" && url.pathname === "/") {
      return send(200, page("Boutique du marchand", `<form method="post" action="/buy"><button type="submit" data-testid="merchant-pay">Payer avec Caisse</button></form>`));
    }
    if (req.method === "POST" && url.pathname === "/buy") {
      const reference = `CMD-${site.orders.size + 1}-${Date.now()}`;
      const created = await api("POST", "/checkout-sessions", {
        ...site.nextSession,
        client_reference: reference,
        success_url: `${site.url}/success?session_id={CHECKOUT_SESSION_ID}`,
        cancel_url: `${site.url}/cancel?ref=${reference}`,
        metadata: { merchant_order: reference },
      });
      if (created.status !== 201) return send(502, page("Erreur", `<pre data-testid="merchant-error">${escape(JSON.stringify(created.body))}</pre>`));
      site.orders.set(reference, { reference, amount: Number(created.body.amount), sessionId: String(created.body.id), paid: false, paidByWebhook: false });
      return send(303, "", { location: String(created.body.url) });
    }
    if (req.method === "GET" && url.pathname === "/success") {
      const id = url.searchParams.get("session_id") ?? "";
      const session = /^cs_[0-9A-Za-z]+$/.test(id) ? await api("GET", `/checkout-sessions/${id}`) : null;
      const order = session?.status === 200 ? site.orders.get(String(session.body.client_reference)) : undefined;
      if (!order || order.sessionId !== id || session!.body.status !== "complete") return send(400, page("Paiement non confirmé", `<p data-testid="merchant-unpaid">${escape(id)}</p>`));
      order.paid = true;
      return send(200, page("Merci !", `<p data-testid="merchant-paid" data-reference="${escape(order.reference)}" data-payment="${escape(String(session!.body.payment_id))}">Commande ${escape(order.reference)} payée.</p>`));
    }
    if (req.method === "GET" && url.pathname === "/cancel") {
      return send(200, page("Paiement annulé", `<p data-testid="merchant-cancelled">${escape(url.searchParams.get("ref") ?? "")}</p>`));
    }
    send(404, page("Introuvable", ""));
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      site.requests.push({ method: req.method ?? "", path: req.url ?? "", body });
      handle(req, res, body).catch((error: unknown) => {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  site.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  site.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return site;
}
