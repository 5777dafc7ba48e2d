import type { FormState } from "./form-state";

export function Message({ state, testId }: { state: FormState; testId: string }) {
  if (!state.message) return null;
  return (
    <p role={state.ok ? "status" : "alert"} data-testid={testId} data-ok={state.ok ? "true" : "false"} className={`text-sm font-medium ${state.ok ? "text-green-800" : "text-red-700"}`}>
      {state.message}
    </p>
  );
}

