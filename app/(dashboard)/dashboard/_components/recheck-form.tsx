"use client";
import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { recheckAction } from "../actions";
import { Message } from "./form-message";

type Labels = { recheck: string; recheckConfirm: string; confirm: string; cancel: string };

/** Re-check: one click opens a confirmation, the second asks the provider. */
export function RecheckForm({ paymentId, labels }: { paymentId: string; labels: Labels }) {
  const [state, action, pending] = useActionState(recheckAction, {});
  const [asking, setAsking] = useState(false);
  return (
    <div className="space-y-2">
      {asking ? (
        <form
          action={(form) => {
            setAsking(false);
            action(form);
          }}
          className="space-y-2 rounded-lg bg-stone-50 p-3" data-testid="recheck-confirm">
          <input type="hidden" name="paymentId" value={paymentId} />
          <p className="text-sm">{labels.recheckConfirm}</p>
          <div className="flex gap-2">
            <Button type="submit" disabled={pending} data-testid="recheck-submit">
              {labels.confirm}
            </Button>
            <Button type="button" variant="ghost" onClick={() => setAsking(false)}>
              {labels.cancel}
            </Button>
          </div>
        </form>
      ) : (
        <Button type="button" variant="secondary" onClick={() => setAsking(true)} disabled={pending} data-testid="recheck-open">
          {labels.recheck}
        </Button>
      )}
      <Message state={state} testId="recheck-result" />
    </div>
  );
}

