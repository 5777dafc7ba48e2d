"use client";
import { recheckAction } from "../actions";
import { ConfirmActionForm } from "./confirm-action-form";

type Labels = { recheck: string; recheckConfirm: string; confirm: string; cancel: string };

/** Re-check: one click opens a confirmation, the second asks the provider. */
export function RecheckForm({ paymentId, labels }: { paymentId: string; labels: Labels }) {
  return (
    <ConfirmActionForm
      action={recheckAction}
      fields={{ paymentId }}
      labels={{ open: labels.recheck, question: labels.recheckConfirm, confirm: labels.confirm, cancel: labels.cancel }}
      testId="recheck"
    />
  );
}
