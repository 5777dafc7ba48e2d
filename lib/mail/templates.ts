import { formatMoney, type Locale } from "@/lib/money";
import { storeClock } from "@/lib/time/store-clock";

/** What a message says, in both forms every mail client accepts. */
export type MailContent = { subject: string; text: string; html: string };

export const mailLocale = (value: string | null | undefined): Locale => (value === "en" ? "en" : "fr");

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** A paragraph is a string, a link is { href, label }: both forms are built from one list. */
type Block = string | { href: string; label: string } | { rows: [string, string][] };

function compose(subject: string, blocks: Block[]): MailContent {
  const text = blocks
    .map((b) => (typeof b === "string" ? b : "href" in b ? `${b.label}:\n${b.href}` : b.rows.map(([k, v]) => `${k}  ${v}`).join("\n")))
    .join("\n\n");
  const html = [
    `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#111;max-width:560px;margin:0 auto;padding:16px">`,
    ...blocks.map((b) =>
      typeof b === "string"
        ? `<p>${escapeHtml(b).replaceAll("\n", "<br>")}</p>`
        : "href" in b
          ? `<p><a href="${escapeHtml(b.href)}" style="display:inline-block;padding:10px 16px;background:#111;color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(b.label)}</a></p><p style="font-size:13px;color:#555;word-break:break-all">${escapeHtml(b.href)}</p>`
          : `<table style="border-collapse:collapse;width:100%">${b.rows.map(([k, v]) => `<tr><td style="padding:4px 8px 4px 0">${escapeHtml(k)}</td><td style="padding:4px 0;text-align:right;white-space:nowrap">${escapeHtml(v)}</td></tr>`).join("")}</table>`,
    ),
    `</body></html>`,
  ].join("\n");
  return { subject, text: `${text}\n`, html };
}

export function passwordResetMail(locale: Locale, input: { name: string; url: string }): MailContent {
  return locale === "en"
    ? compose("Reset your Caisse password", [
        `Hello ${input.name},`,
        "Someone (we hope you) asked to reset the password of your Caisse account. The link works once, for one hour.",
        { href: input.url, label: "Choose a new password" },
        "If you did not ask for it, ignore this e-mail: your password stays as it is.",
      ])
    : compose("Réinitialisez votre mot de passe Caisse", [
        `Bonjour ${input.name},`,
        "Quelqu’un (vous, espérons-le) a demandé à réinitialiser le mot de passe de votre compte Caisse. Le lien sert une fois, pendant une heure.",
        { href: input.url, label: "Choisir un nouveau mot de passe" },
        "Si vous n’avez rien demandé, ignorez cet e-mail : votre mot de passe reste le même.",
      ]);
}

export function invitationMail(locale: Locale, input: { storeName: string; invitedBy: string; url: string; expiresAt: Date; timeZone: string }): MailContent {
  const until = storeClock(locale, input.timeZone).dateTime(input.expiresAt);
  return locale === "en"
    ? compose(`${input.invitedBy} invites you to ${input.storeName} on Caisse`, [
        `${input.invitedBy} invites you to join the team of ${input.storeName} on Caisse.`,
        { href: input.url, label: "Accept the invitation" },
        `The link works until ${until}.`,
      ])
    : compose(`${input.invitedBy} vous invite dans ${input.storeName} sur Caisse`, [
        `${input.invitedBy} vous invite à rejoindre l’équipe de ${input.storeName} sur Caisse.`,
        { href: input.url, label: "Accepter l’invitation" },
        `Le lien est valable jusqu’au ${until}.`,
      ]);
}

/** What a paid order's messages show; amounts in minor units, as stored. */
export type PaidOrder = {
  storeName: string;
  timeZone: string;
  reference: string;
  customerName: string;
  currency: string;
  amountMinor: number;
  paidAt: Date;
  items: { name: string; quantity: number; totalMinor: number }[];
  orderUrl: string;
  dashboardUrl: string;
};

function orderRows(locale: Locale, order: PaidOrder): Block {
  const money = (m: number) => formatMoney(m, order.currency, locale);
  return { rows: [...order.items.map((i): [string, string] => [`${i.quantity} × ${i.name}`, money(i.totalMinor)]), [locale === "en" ? "Total" : "Total", money(order.amountMinor)]] };
}

export function receiptMail(locale: Locale, order: PaidOrder): MailContent {
  const paidAt = storeClock(locale, order.timeZone).dateTime(order.paidAt);
  return locale === "en"
    ? compose(`Your receipt from ${order.storeName}: order ${order.reference}`, [
        `Hello ${order.customerName},`,
        `${order.storeName} received your payment on ${paidAt}. Thank you!`,
        orderRows(locale, order),
        { href: order.orderUrl, label: "See your order" },
      ])
    : compose(`Votre reçu de ${order.storeName} : commande ${order.reference}`, [
        `Bonjour ${order.customerName},`,
        `${order.storeName} a bien reçu votre paiement le ${paidAt}. Merci !`,
        orderRows(locale, order),
        { href: order.orderUrl, label: "Voir votre commande" },
      ]);
}

export function paymentReceivedMail(locale: Locale, order: PaidOrder): MailContent {
  const paidAt = storeClock(locale, order.timeZone).dateTime(order.paidAt);
  const amount = formatMoney(order.amountMinor, order.currency, locale);
  return locale === "en"
    ? compose(`Payment received: ${amount}, order ${order.reference}`, [
        `${order.customerName} paid ${amount} to ${order.storeName} on ${paidAt} (order ${order.reference}).`,
        orderRows(locale, order),
        { href: order.dashboardUrl, label: "Open the order" },
        "You receive this because payment alerts are on in your settings.",
      ])
    : compose(`Paiement reçu : ${amount}, commande ${order.reference}`, [
        `${order.customerName} a payé ${amount} à ${order.storeName} le ${paidAt} (commande ${order.reference}).`,
        orderRows(locale, order),
        { href: order.dashboardUrl, label: "Ouvrir la commande" },
        "Vous recevez cet e-mail car les alertes de paiement sont activées dans vos réglages.",
      ]);
}
