import type { Brand, SandboxLang } from "@/lib/sandbox/html";
import type { FailureCode, Operator } from "./schemas";

export const KKIAPAY_BRAND: Brand = { name: "KKiaPay", primary: "#0a2e63", onPrimary: "#ffffff", accent: "#f5a524" };

const fr = {
  title: "Paiement",
  amount: "Montant à payer",
  merchantReason: "Motif",
  operator: "Moyen de paiement",
  phone: "Numéro de téléphone",
  phoneHint: "Le numéro débité (simulation : aucun débit réel).",
  outcome: "Résultat à simuler",
  success: "Paiement réussi",
  failed: "Paiement refusé",
  pending: "En attente de validation sur le téléphone, puis réussi",
  failureCode: "Motif du refus",
  pay: "Payer",
  abort: "Annuler et fermer",
  close: "Fermer",
  continue: "Continuer vers le marchand",
  paid: "Paiement effectué",
  refused: "Paiement échoué",
  waiting: "Validez le paiement sur votre téléphone",
  waitingHint: "Dans le sandbox, choisissez ce que fait le client sur son téléphone.",
  confirm: "Le client valide (réussi)",
  reject: "Le client refuse (échec)",
  aborted: "Paiement annulé",
  transaction: "Transaction",
  badConfig: "Configuration du widget invalide",
  badKey: "Clé API inconnue : utilisez la clé publique d'un compte sandbox.",
  notSandbox: "Cette clé est une clé sandbox : passez sandbox: true au widget.",
  badAmount: "Montant invalide : un entier positif en FCFA est attendu.",
  unknownTransaction: "Transaction inconnue ou déjà finalisée.",
  phoneRequired: "Saisissez le numéro de téléphone à débiter.",
  operatorNotOffered: "Ce moyen de paiement n'est pas proposé pour ce paiement.",
};

export type Strings = typeof fr;

const en: Strings = {
  title: "Payment",
  amount: "Amount to pay",
  merchantReason: "Reason",
  operator: "Payment method",
  phone: "Phone number",
  phoneHint: "The number to debit (simulation: nothing is really debited).",
  outcome: "Outcome to simulate",
  success: "Payment succeeds",
  failed: "Payment is declined",
  pending: "Pending approval on the phone, then succeeds",
  failureCode: "Decline reason",
  pay: "Pay",
  abort: "Cancel and close",
  close: "Close",
  continue: "Continue to the merchant",
  paid: "Payment successful",
  refused: "Payment failed",
  waiting: "Approve the payment on your phone",
  waitingHint: "In the sandbox, choose what the shopper does on their phone.",
  confirm: "Shopper approves (success)",
  reject: "Shopper declines (failure)",
  aborted: "Payment cancelled",
  transaction: "Transaction",
  badConfig: "Invalid widget configuration",
  badKey: "Unknown API key: use the public key of a sandbox account.",
  notSandbox: "This is a sandbox key: pass sandbox: true to the widget.",
  badAmount: "Invalid amount: a positive whole number of FCFA is expected.",
  unknownTransaction: "Unknown or already finalised transaction.",
  phoneRequired: "Enter the phone number to debit.",
  operatorNotOffered: "This payment method is not offered for this payment.",
};

export function strings(lang: SandboxLang): Strings {
  return lang === "en" ? en : fr;
}

export const OPERATOR_LABELS: Record<Operator, string> = {
  mtn: "MTN Mobile Money",
  moov: "Moov Money",
  orange: "Orange Money",
  wave: "Wave",
  celtiis: "Celtiis Cash",
  card: "Visa / Mastercard",
};

/** failureMessage as KKiaPay words it; the code is what integrations branch on. */
export const FAILURE_MESSAGES: Record<FailureCode, { fr: string; en: string }> = {
  insufficient_fund: { fr: "Solde insuffisant", en: "Insufficient funds" },
  wrong_pin: { fr: "Code secret incorrect", en: "Wrong PIN" },
  invalid_number: { fr: "Numéro invalide", en: "Invalid phone number" },
  processing_error: { fr: "Erreur de traitement chez l'opérateur", en: "Processing error at the operator" },
};
