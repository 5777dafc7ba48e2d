"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Message } from "../../_components/form-message";
import { replayAction } from "../actions";

export function ReplayForm({ notificationId, label }: { notificationId: string; label: string }) {
  const [state, action, pending] = useActionState(replayAction, {});
  return (
    <form action={action} className="space-y-1">
      <input type="hidden" name="notificationId" value={notificationId} />
      <Button type="submit" variant="secondary" disabled={pending} data-testid="replay-submit">
        {label}
      </Button>
      <Message state={state} testId="replay-result" />
    </form>
  );
}
