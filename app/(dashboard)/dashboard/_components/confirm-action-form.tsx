"use client";
import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { Message } from "./form-message";
import type { FormState } from "./form-state";

type Labels = { open: string; question: string; confirm: string; cancel: string };

/**
 * A button that asks once more before running its action: one click opens the question, the
 * second sends the hidden fields. Test ids: `<testId>-open`, `-confirm` (the question's form),
 * `-submit` and `-result`.
 */
export function ConfirmActionForm({
  action,
  fields,
  labels,
  testId,
}: {
  action: (state: FormState, form: FormData) => Promise<FormState>;
  fields: Record<string, string>;
  labels: Labels;
  testId: string;
}) {
  const [state, run, pending] = useActionState(action, {});
  const [asking, setAsking] = useState(false);
  return (
    <div className="space-y-2">
      {asking ? (
        <form
          action={(form) => {
            setAsking(false);
            run(form);
          }}
          className="space-y-2 rounded-lg bg-stone-50 p-3"
          data-testid={`${testId}-confirm`}
        >
          {Object.entries(fields).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <p className="text-sm">{labels.question}</p>
          <div className="flex gap-2">
            <Button type="submit" disabled={pending} data-testid={`${testId}-submit`}>
              {labels.confirm}
            </Button>
            <Button type="button" variant="ghost" onClick={() => setAsking(false)}>
              {labels.cancel}
            </Button>
          </div>
        </form>
      ) : (
        <Button type="button" variant="secondary" onClick={() => setAsking(true)} disabled={pending} data-testid={`${testId}-open`}>
          {labels.open}
        </Button>
      )}
      <Message state={state} testId={`${testId}-result`} />
    </div>
  );
}
