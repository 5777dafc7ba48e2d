"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import { Message } from "../../_components/form-message";
import { saveProviderAccountAction } from "../actions";

type Account = { provider: string; mode: "sandbox" | "live"; enabled: boolean; feeRateBps: number; feeFixed: string; settlementDelayDays: number } | null;
type Labels = Record<"enabled" | "mode" | "sandbox" | "live" | "feeRate" | "feeFixed" | "delay" | "credentials" | "credentialsHint" | "save", string>;

/**
 * Credential inputs are always empty and of type password: what is stored is never sent to the
 * browser, so there is nothing to pre-fill. A blank field means "keep".
 */
export function ProviderAccountForm({ provider, account, fields, labels }: { provider: string; account: Account; fields: string[]; labels: Labels }) {
  const [state, action, pending] = useActionState(saveProviderAccountAction, {});
  const error = (f: string) => state.fieldErrors?.[f];
  const id = (f: string) => `${provider}-${f}`;
  return (
    <form action={action} className="mt-3 space-y-3" data-testid={`account-form-${provider}`} noValidate autoComplete="off">
      <input type="hidden" name="provider" value={provider} />
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="enabled" defaultChecked={account?.enabled ?? true} className="size-5" data-testid="account-enabled" />
          {labels.enabled}
        </label>
        <div>
          <Label htmlFor={id("mode")}>{labels.mode}</Label>
          <select id={id("mode")} name="mode" defaultValue={account?.mode ?? "sandbox"} className="block min-h-11 w-full rounded-lg border border-stone-300 bg-white px-3" data-testid="account-mode">
            <option value="sandbox">{labels.sandbox}</option>
            <option value="live">{labels.live}</option>
          </select>
        </div>
        <div>
          <Label htmlFor={id("feeRateBps")}>{labels.feeRate}</Label>
          <Input id={id("feeRateBps")} name="feeRateBps" inputMode="numeric" defaultValue={account?.feeRateBps ?? 0} aria-invalid={Boolean(error("feeRateBps"))} data-testid="account-fee-rate" />
          {error("feeRateBps") && <p className="text-sm text-red-700" data-testid="account-fee-rate-error">{error("feeRateBps")}</p>}
        </div>
        <div>
          <Label htmlFor={id("feeFixed")}>{labels.feeFixed}</Label>
          <Input id={id("feeFixed")} name="feeFixed" inputMode="decimal" defaultValue={account?.feeFixed ?? "0"} aria-invalid={Boolean(error("feeFixed"))} />
          {error("feeFixed") && <p className="text-sm text-red-700">{error("feeFixed")}</p>}
        </div>
        <div>
          <Label htmlFor={id("settlementDelayDays")}>{labels.delay}</Label>
          <Input id={id("settlementDelayDays")} name="settlementDelayDays" inputMode="numeric" defaultValue={account?.settlementDelayDays ?? 1} aria-invalid={Boolean(error("settlementDelayDays"))} />
          {error("settlementDelayDays") && <p className="text-sm text-red-700">{error("settlementDelayDays")}</p>}
        </div>
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-semibold">{labels.credentials}</legend>
        <p className="text-xs text-stone-500">{labels.credentialsHint}</p>
        <div className="grid gap-3 md:grid-cols-3">
          {fields.map((f) => (
            <div key={f}>
              <Label htmlFor={id(`cred_${f}`)}>{f}</Label>
              <Input id={id(`cred_${f}`)} name={`cred_${f}`} type="password" autoComplete="new-password" defaultValue="" aria-invalid={Boolean(error(`cred_${f}`))} data-testid={`account-cred-${f}`} />
              {error(`cred_${f}`) && <p className="text-sm text-red-700">{error(`cred_${f}`)}</p>}
            </div>
          ))}
        </div>
      </fieldset>
      <Button type="submit" disabled={pending} data-testid="account-save">
        {labels.save}
      </Button>
      <Message state={state} testId="account-result" />
    </form>
  );
}
