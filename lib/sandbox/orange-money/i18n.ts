import type { SandboxLang } from "../html";

const fr = {
  title: "Paiement Orange Money",
  merchant: "Marchand",
  order: "Commande",
  amount: "Montant à payer",
  validUntil: (time: string) => `Ce lien de paiement est valable jusqu'à ${time} (10 minutes).`,
  msisdn: "Numéro Orange Money",
  msisdnHint: "Le numéro du compte qui paie, par exemple 07 07 07 07 07.",
  otp: "Code de paiement (OTP)",
  otpHint: "Obtenez-le en composant #144*82# sur votre téléphone. Sandbox : tout code à 4 chiffres est accepté, sauf 0000 qui fait échouer le paiement.",
  outcome: "Résultat à simuler",
  success: "Paiement réussi (SUCCESS)",
  failed: "Paiement refusé (FAILED)",
  confirm: "Confirmer",
  cancel: "Annuler et retourner chez le marchand",
  badMsisdn: "Saisissez un numéro de téléphone valide (8 à 15 chiffres).",
  badOtp: "Le code OTP doit comporter 4 chiffres.",
  badOutcome: "Choisissez le résultat à simuler.",
  notFound: "Ce lien de paiement n'existe pas.",
  done: (status: string) => `Ce paiement a déjà été traité (statut ${status}).`,
  expiredTitle: "Lien expiré",
  expired: "Le délai de 10 minutes est dépassé : le paiement a expiré et votre compte n'a pas été débité.",
  back: "Retourner chez le marchand",
};

const en: typeof fr = {
  title: "Orange Money payment",
  merchant: "Merchant",
  order: "Order",
  amount: "Amount to pay",
  validUntil: (time: string) => `This payment link is valid until ${time} (10 minutes).`,
  msisdn: "Orange Money number",
  msisdnHint: "The number of the paying account, e.g. 07 07 07 07 07.",
  otp: "Payment code (OTP)",
  otpHint: "Get it by dialling #144*82# on your phone. Sandbox: any 4-digit code is accepted, except 0000, which makes the payment fail.",
  outcome: "Outcome to simulate",
  success: "Payment succeeds (SUCCESS)",
  failed: "Payment declined (FAILED)",
  confirm: "Confirm",
  cancel: "Cancel and go back to the merchant",
  badMsisdn: "Enter a valid phone number (8 to 15 digits).",
  badOtp: "The OTP code must have 4 digits.",
  badOutcome: "Choose the outcome to simulate.",
  notFound: "This payment link does not exist.",
  done: (status: string) => `This payment has already been processed (status ${status}).`,
  expiredTitle: "Link expired",
  expired: "The 10-minute window has passed: the payment expired and your account was not charged.",
  back: "Go back to the merchant",
};

export type PageText = typeof fr;

export function pageText(lang: SandboxLang): PageText {
  return lang === "en" ? en : fr;
}
