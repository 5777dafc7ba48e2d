import type { SandboxLang } from "@/lib/sandbox/html";

const fr = {
  title: "Paiement",
  merchant: "Marchand :",
  amount: "Montant à payer",
  reference: "Référence :",
  method: "Moyen de paiement",
  phone: "Numéro de téléphone",
  phoneHint: "Le numéro qui paie (format national, ex. 0707070707)",
  outcome: "Résultat à simuler",
  accepted: "Paiement accepté (ACCEPTED)",
  refused: "Paiement refusé (REFUSED)",
  waiting: "Validation sur le téléphone d'abord (WAITING_FOR_CUSTOMER)",
  failureCode: "Code d'échec (si refusé)",
  pay: "Payer",
  cancel: "Annuler le paiement",
  waitingTitle: "En attente de validation",
  waitingText: "Le client doit valider le paiement sur son téléphone. Choisissez ce qu'il fait.",
  approve: "Le client valide",
  decline: "Le client refuse",
  resultAccepted: "Paiement réussi",
  resultRefused: "Paiement refusé",
  resultCancelled: "Paiement annulé",
  returnToMerchant: "Retourner chez le marchand",
  autoReturn: "Retour automatique chez le marchand dans 10 secondes.",
  notFound: "Ce lien de paiement est inconnu ou a expiré.",
  phoneRequired: "Saisissez un numéro de téléphone valide (chiffres uniquement).",
  choiceRequired: "Choisissez un moyen de paiement et un résultat.",
  card: "Carte bancaire",
};

const en: typeof fr = {
  title: "Payment",
  merchant: "Merchant:",
  amount: "Amount to pay",
  reference: "Reference:",
  method: "Payment method",
  phone: "Phone number",
  phoneHint: "The paying number (national format, e.g. 0707070707)",
  outcome: "Outcome to simulate",
  accepted: "Payment accepted (ACCEPTED)",
  refused: "Payment refused (REFUSED)",
  waiting: "Approve on the phone first (WAITING_FOR_CUSTOMER)",
  failureCode: "Failure code (if refused)",
  pay: "Pay",
  cancel: "Cancel the payment",
  waitingTitle: "Waiting for approval",
  waitingText: "The customer must approve the payment on their phone. Choose what they do.",
  approve: "The customer approves",
  decline: "The customer declines",
  resultAccepted: "Payment successful",
  resultRefused: "Payment refused",
  resultCancelled: "Payment cancelled",
  returnToMerchant: "Return to the merchant",
  autoReturn: "Returning to the merchant automatically in 10 seconds.",
  notFound: "This payment link is unknown or has expired.",
  phoneRequired: "Enter a valid phone number (digits only).",
  choiceRequired: "Choose a payment method and an outcome.",
  card: "Bank card",
};

export type Texts = typeof fr;

export function texts(lang: SandboxLang): Texts {
  return lang === "en" ? en : fr;
}
