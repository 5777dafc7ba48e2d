"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import { Message } from "../../_components/form-message";
import { exceptionAction } from "../actions";

type Props = {
  paymentId: string;
  /** One-time token rendered with the page: a double submit sends it twice and is carried out once. */
  token: string;
  action: string;
  label: string;
  hint: string;
  note?: { label: string; required: boolean };
  primary?: boolean;
};

/**
 * One resolving action of an exception. The amount is not sent: the server takes it from the
 * database. Test ids: `exception-<action>` (the form), `-note`, `-submit`, `-result`.
 */
export function ExceptionActionForm({ paymentId, token, action, label, hint, note, primary }: Props) {
  const [state, run, pending] = useActionState(exceptionAction, {});
  const id = `${action}-${paymentId}`;
  const noteError = state.fieldErrors?.note;
  return (
    <form action={run} className="space-y-2 rounded-lg bg-stone-50 p-3" data-testid={`exception-${action}`} noValidate>
      <input type="hidden" name="paymentId" value={paymentId} />
      <input type="hidden" name="action" value={action} />
      <input type="hidden" name="token" value={token} />
      <p className="text-sm text-stone-700">{hint}</p>
      {note && (
        <div>
          <Label htmlFor={`note-${id}`}>{note.label}</Label>
          <Input id={`note-${id}`} name="note" maxLength={500} required={note.required} aria-invalid={Boolean(noteError)} data-testid={`exception-${action}-note`} />
          {noteError && <p className="text-sm text-red-700">{noteError}</p>}
        </div>
      )}
      <Button type="submit" variant={primary ? "primary" : "secondary"} disabled={pending} data-testid={`exception-${action}-submit`}>
        {label}
      </Button>
      <Message state={state} testId={`exception-${action}-result`} />
    </form>
  );
}
