"use client";
import Link from "next/link";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import { Message } from "../../_components/form-message";
import { saveProviderAccountAction, type AccountFormState } from "../actions";

type Mode = "sandbox" | "live";

/** `publicIds`: of each credential set, its public identifier, null when the set is not stored. */
type Account = { provider: string; mode: Mode; enabled: boolean; feeRate: string; feeFixed: string; settlementDelayDays: number; publicIds: Record<Mode, string | null> } | null;

/** One live credential as the form asks for it, in the visitor's language. */
export type FieldView = { field: string; kind: "secret" | "text" | "country"; label: string; hint: string; options?: { value: string; label: string }[] };

type LabelKey =
  | "enabled"
  | "mode"
  | "sandbox"
  | "live"
  | "modeHint"
  | "feeRate"
  | "feeRateHint"
  | "feeFixed"
  | "delay"
  | "save"
  | "sandboxTitle"
  | "sandboxHint"
  | "useSandbox"
  | "sandboxReady"
  | "sendTestNotification"
  | "notificationsLog"
  | "liveTitle"
  | "liveHint"
  | "liveStored"
  | "liveMissing"
  | "keepEnvironment"
  | "forget"
  | "testConnection"
  | "saveAnyway"
  | "saveAnywayHint";
export type AccountLabels = Record<LabelKey, string>;

const fieldClass = "block min-h-11 w-full rounded-lg border border-stone-300 bg-white px-3 aria-invalid:border-red-600";

/**
 * One provider's connection. The sandbox is one button (keys generated for the simulator); live
 * asks for the provider's credentials under their own names, with where to find each. Secret
 * inputs start empty: what is stored never reaches the browser. After a refusal or a test, every
 * field holds what was typed (`state.values`, the form being reset to its defaults).
 */
export function ProviderAccountForm({ provider, account, fields, labels, sandboxEnabled }: { provider: string; account: Account; fields: FieldView[]; labels: AccountLabels; sandboxEnabled: boolean }) {
  const [state, action, pending] = useActionState<AccountFormState, FormData>(saveProviderAccountAction, {});
  const error = (f: string) => state.fieldErrors?.[f];
  const typed = (f: string) => state.values?.[f];
  const id = (f: string) => `${provider}-${f}`;
  const sandboxId = account?.publicIds.sandbox ?? null;
  const liveId = account?.publicIds.live ?? null;
  const mode = typed("mode") || account?.mode || "sandbox";
  const checked = (f: string, fallback: boolean) => (state.values ? typed(f) === "on" : fallback);
  const connectionError = error("live_connection");
  return (
    <form action={action} className="mt-3 space-y-4" data-testid={`account-form-${provider}`} noValidate autoComplete="off">
      <input type="hidden" name="provider" value={provider} />
      {/* Enter in a field submits with the form's first button: let that be "save", not the sandbox switch. */}
      <button type="submit" name="intent" value="save" className="sr-only" tabIndex={-1} aria-hidden="true" />

      {sandboxEnabled && (
        <section className="space-y-2 rounded-lg bg-stone-50 p-3" data-testid="account-set-sandbox" data-stored={sandboxId ? "true" : "false"}>
          <h4 className="text-sm font-semibold">{labels.sandboxTitle}</h4>
          <p className="text-xs text-stone-600">{labels.sandboxHint}</p>
          {sandboxId && (
            <p className="text-xs text-stone-700" data-testid="account-sandbox-ready">
              {labels.sandboxReady.replace("{id}", sandboxId)}
            </p>
          )}
          <div className="flex flex-wrap gap-2">
            <Button type="submit" name="intent" value="sandbox" variant="secondary" disabled={pending} data-testid="account-use-sandbox">
              {labels.useSandbox}
            </Button>
            {sandboxId && (
              <Button type="submit" name="intent" value="notify" variant="secondary" disabled={pending} data-testid="account-send-test">
                {labels.sendTestNotification}
              </Button>
            )}
          </div>
        </section>
      )}

      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 md:grid-cols-4">
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="enabled" defaultChecked={checked("enabled", account?.enabled ?? true)} className="size-5" data-testid="account-enabled" />
          {labels.enabled}
        </label>
        <div>
          <Label htmlFor={id("mode")}>{labels.mode}</Label>
          {/* Keyed by its value: React applies a select's defaultValue only when it mounts, and the form's reset after an action goes back to it. */}
          <select key={mode} id={id("mode")} name="mode" defaultValue={mode} aria-invalid={Boolean(error("mode"))} aria-describedby={id("mode-hint")} className={fieldClass} data-testid="account-mode">
            <option value="sandbox">{labels.sandbox}</option>
            <option value="live">{labels.live}</option>
          </select>
          {error("mode") && (
            <p role="alert" className="text-sm text-red-700" data-testid="account-mode-error">
              {error("mode")}
            </p>
          )}
        </div>
        <div>
          <Label htmlFor={id("feeRate")}>{labels.feeRate}</Label>
          {/* A percentage as on the contract ("3,5" in French); stored in basis points (lib/payments/fee-rate.ts). */}
          <Input
            id={id("feeRate")}
            name="feeRate"
            inputMode="decimal"
            defaultValue={typed("feeRate") ?? account?.feeRate ?? "0"}
            aria-invalid={Boolean(error("feeRate"))}
            aria-describedby={[id("feeRate-hint"), error("feeRate") ? id("feeRate-error") : ""].filter(Boolean).join(" ")}
            data-testid="account-fee-rate"
          />
          <p id={id("feeRate-hint")} className="mt-1 text-xs text-stone-600">
            {labels.feeRateHint}
          </p>
          {error("feeRate") && (
            <p id={id("feeRate-error")} role="alert" className="text-sm text-red-700" data-testid="account-fee-rate-error">
              {error("feeRate")}
            </p>
          )}
        </div>
        <div>
          <Label htmlFor={id("feeFixed")}>{labels.feeFixed}</Label>
          <Input id={id("feeFixed")} name="feeFixed" inputMode="decimal" defaultValue={typed("feeFixed") ?? account?.feeFixed ?? "0"} aria-invalid={Boolean(error("feeFixed"))} />
          {error("feeFixed") && <p className="text-sm text-red-700">{error("feeFixed")}</p>}
        </div>
        <div>
          <Label htmlFor={id("settlementDelayDays")}>{labels.delay}</Label>
          <Input id={id("settlementDelayDays")} name="settlementDelayDays" inputMode="numeric" defaultValue={typed("settlementDelayDays") ?? account?.settlementDelayDays ?? 1} aria-invalid={Boolean(error("settlementDelayDays"))} />
          {error("settlementDelayDays") && <p className="text-sm text-red-700">{error("settlementDelayDays")}</p>}
        </div>
      </div>
      <p id={id("mode-hint")} className="text-xs text-stone-500">
        {labels.modeHint}
      </p>

      <fieldset className="space-y-3" data-testid="account-set-live" data-stored={liveId ? "true" : "false"} aria-describedby={connectionError ? id("live-connection") : undefined}>
        <legend className="text-sm font-semibold">{labels.liveTitle}</legend>
        <p className="text-xs text-stone-600">
          {liveId ? labels.liveStored.replace("{id}", liveId) : labels.liveMissing} {labels.liveHint}
        </p>
        {fields.map((f) => {
          const name = `live_cred_${f.field}`;
          const invalid = Boolean(error(name) || connectionError);
          const described = [id(`${name}-hint`), error(name) ? id(`${name}-error`) : "", connectionError ? id("live-connection") : ""].filter(Boolean).join(" ");
          return (
            <div key={f.field}>
              <Label htmlFor={id(name)}>{f.label}</Label>
              {f.kind === "country" ? (
                <select key={typed(name) ?? ""} id={id(name)} name={name} defaultValue={typed(name) ?? ""} aria-invalid={invalid} aria-describedby={described} className={fieldClass} data-testid={`account-cred-live-${f.field}`}>
                  <option value="">{labels.keepEnvironment}</option>
                  {f.options?.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              ) : (
                <Input
                  id={id(name)}
                  name={name}
                  type={f.kind === "secret" ? "password" : "text"}
                  autoComplete={f.kind === "secret" ? "new-password" : "off"}
                  spellCheck={false}
                  defaultValue={typed(name) ?? ""}
                  aria-invalid={invalid}
                  aria-describedby={described}
                  data-testid={`account-cred-live-${f.field}`}
                />
              )}
              <p id={id(`${name}-hint`)} className="mt-1 text-xs text-stone-600">
                {f.hint}
              </p>
              {error(name) && (
                <p id={id(`${name}-error`)} role="alert" className="text-sm text-red-700">
                  {error(name)}
                </p>
              )}
            </div>
          );
        })}
        {connectionError && (
          <p id={id("live-connection")} role="alert" className="text-sm font-medium text-red-700" data-testid="account-connection-error">
            {connectionError}
          </p>
        )}
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" name="override" defaultChecked={checked("override", false)} className="mt-0.5 size-5 shrink-0" data-testid="account-override" aria-describedby={id("override-hint")} />
          <span>
            {labels.saveAnyway}
            <span id={id("override-hint")} className="block text-xs text-stone-600">
              {labels.saveAnywayHint}
            </span>
          </span>
        </label>
        {liveId && (
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="live_forget" defaultChecked={checked("live_forget", false)} className="size-5" data-testid="account-forget-live" />
            {labels.forget}
          </label>
        )}
        {error("live_forget") && <p className="text-sm text-red-700">{error("live_forget")}</p>}
      </fieldset>

      <div className="flex flex-wrap gap-2">
        <Button type="submit" name="intent" value="test" variant="secondary" disabled={pending} data-testid="account-test">
          {labels.testConnection}
        </Button>
        <Button type="submit" name="intent" value="save" disabled={pending} data-testid="account-save">
          {labels.save}
        </Button>
      </div>
      {state.outcome ? (
        <p role={state.outcome === "works" ? "status" : "alert"} data-testid="account-connection" data-outcome={state.outcome} className={`text-sm font-medium ${state.outcome === "works" ? "text-green-800" : "text-red-700"}`}>
          {state.message}
        </p>
      ) : (
        <Message state={state} testId="account-result" />
      )}
      {state.ok && state.message && !state.outcome && sandboxId && (
        <Link href="/dashboard/notifications" className="text-sm text-brand-700 underline" data-testid="account-notifications-link">
          {labels.notificationsLog}
        </Link>
      )}
    </form>
  );
}
