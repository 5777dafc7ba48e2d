"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import { Message } from "../../_components/form-message";
import { saveProviderAccountAction } from "../actions";

type Mode = "sandbox" | "live";
const MODES: Mode[] = ["sandbox", "live"];

/** `publicIds`: of each credential set, its public identifier, null when the set is not stored. */
type Account = { provider: string; mode: Mode; enabled: boolean; feeRateBps: number; feeFixed: string; settlementDelayDays: number; publicIds: Record<Mode, string | null> } | null;
type LabelKey = "enabled" | "mode" | "sandbox" | "live" | "modeHint" | "feeRate" | "feeFixed" | "delay" | "save";
type Labels = Record<LabelKey | "sandboxCredentials" | "liveCredentials" | "credentialsHint" | "publicId" | "setMissing" | "forget", string>;

/**
 * Credential inputs are always empty and of type password: what is stored is never sent to the
 * browser, so there is nothing to pre-fill. A blank field means "keep". One fieldset per mode:
 * the account keeps both sets, the mode picks the one new payments use.
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
          <select
            id={id("mode")}
            name="mode"
            defaultValue={account?.mode ?? "sandbox"}
            aria-invalid={Boolean(error("mode"))}
            aria-describedby={id("mode-hint")}
            className="block min-h-11 w-full rounded-lg border border-stone-300 bg-white px-3 aria-invalid:border-red-600"
            data-testid="account-mode"
          >
            <option value="sandbox">{labels.sandbox}</option>
            <option value="live">{labels.live}</option>
          </select>
          {error("mode") && <p className="text-sm text-red-700" data-testid="account-mode-error">{error("mode")}</p>}
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
      <p id={id("mode-hint")} className="text-xs text-stone-500">
        {labels.modeHint}
      </p>
      <p className="text-xs text-stone-500">{labels.credentialsHint}</p>
      {MODES.map((mode) => {
        const publicId = account?.publicIds[mode] ?? null;
        return (
          <fieldset key={mode} className="space-y-2" data-testid={`account-set-${mode}`} data-stored={publicId ? "true" : "false"}>
            <legend className="text-sm font-semibold">{mode === "sandbox" ? labels.sandboxCredentials : labels.liveCredentials}</legend>
            <p className="text-xs text-stone-600">
              {publicId ? (
                <>
                  {labels.publicId}: <span className="font-mono">{publicId}</span>
                </>
              ) : (
                labels.setMissing
              )}
            </p>
            <div className="grid gap-3 md:grid-cols-3">
              {fields.map((f) => {
                const name = `${mode}_cred_${f}`;
                return (
                  <div key={f}>
                    <Label htmlFor={id(name)}>{f}</Label>
                    <Input id={id(name)} name={name} type="password" autoComplete="new-password" defaultValue="" aria-invalid={Boolean(error(name))} data-testid={`account-cred-${mode}-${f}`} />
                    {error(name) && <p className="text-sm text-red-700">{error(name)}</p>}
                  </div>
                );
              })}
            </div>
            {publicId && (
              <label className="flex items-center gap-2 text-sm">
                <input type="checkbox" name={`${mode}_forget`} className="size-5" data-testid={`account-forget-${mode}`} />
                {labels.forget}
              </label>
            )}
            {error(`${mode}_forget`) && <p className="text-sm text-red-700">{error(`${mode}_forget`)}</p>}
          </fieldset>
        );
      })}
      <Button type="submit" disabled={pending} data-testid="account-save">
        {labels.save}
      </Button>
      <Message state={state} testId="account-result" />
    </form>
  );
}
