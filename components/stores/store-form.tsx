"use client";
import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import { Message } from "@/app/(dashboard)/dashboard/_components/form-message";
import type { FormState } from "@/app/(dashboard)/dashboard/_components/form-state";
import { slugify, SLUG_MAX } from "@/lib/stores/slug";

export type StoreCountry = { code: string; name: string; currency: string; timeZone: string; currencies: string[] };
export type StoreFormLabels = Record<"name" | "slug" | "slugHint" | "country" | "currency" | "timeZone" | "logo" | "logoHint" | "submit" | "submitting", string> &
  Partial<Record<"slugWarning" | "currentLogo" | "removeLogo", string>>;
/** The store as it is, when the form edits one (its logo's URL, if it has one). */
export type StoreValues = { name: string; slug: string; country: string; currency: string; timeZone: string; logoUrl: string | null };

const SELECT = "block min-h-11 w-full rounded-lg border border-stone-300 bg-white px-3 text-base text-stone-900 aria-invalid:border-red-600";

type Props = {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  countries: StoreCountry[];
  timeZones: string[];
  shopOrigin: string;
  labels: StoreFormLabels;
  store?: StoreValues;
};

/**
 * Opens a store, or edits one (`store`). When opening, the slug follows the name until it is
 * edited by hand; currency and zone follow the country (both can still be changed). Without
 * JavaScript the server does the same with blank fields. When editing, the slug stays as it is
 * unless typed, under a warning that old links stop working.
 */
export function StoreForm({ action: submit, countries, timeZones, shopOrigin, labels, store }: Props) {
  const [state, action, pending] = useActionState(submit, {});
  const initial = state.values ?? store;
  const [name, setName] = useState(initial?.name ?? "");
  const [slug, setSlug] = useState(initial?.slug ?? "");
  const [slugEdited, setSlugEdited] = useState(Boolean(initial?.slug));
  const [country, setCountry] = useState(initial?.country || countries.find((c) => c.code === "CI")?.code || countries[0]!.code);
  const profile = countries.find((c) => c.code === country) ?? countries[0]!;
  const [currency, setCurrency] = useState(initial?.currency || profile.currency);
  const [timeZone, setTimeZone] = useState(initial?.timeZone || profile.timeZone);
  const error = (f: string) => state.fieldErrors?.[f];
  const described = (f: string, hint?: boolean) => [hint && `store-${f}-hint`, error(f) && `store-${f}-error`].filter(Boolean).join(" ") || undefined;
  const errorLine = (f: string) =>
    error(f) && (
      <p id={`store-${f}-error`} className="text-sm text-red-700" data-testid={`store-${f}-error`}>
        {error(f)}
      </p>
    );
  const shownSlug = slugEdited ? slug : slugify(name);

  return (
    <form action={action} className="space-y-4" noValidate data-testid="store-form">
      <div>
        <Label htmlFor="store-name">{labels.name}</Label>
        <Input id="store-name" name="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={80} aria-invalid={Boolean(error("name"))} aria-describedby={described("name")} data-testid="store-name" />
        {errorLine("name")}
      </div>
      <div>
        <Label htmlFor="store-slug">{labels.slug}</Label>
        <Input
          id="store-slug"
          name="slug"
          value={shownSlug}
          onChange={(e) => {
            setSlugEdited(true);
            setSlug(e.target.value.toLowerCase());
          }}
          maxLength={SLUG_MAX}
          autoCapitalize="none"
          spellCheck={false}
          aria-invalid={Boolean(error("slug"))}
          aria-describedby={[described("slug", true), store && labels.slugWarning && "store-slug-warning"].filter(Boolean).join(" ")}
          data-testid="store-slug"
        />
        <p id="store-slug-hint" className="text-xs text-stone-500 wrap-anywhere" data-testid="store-url">
          {labels.slugHint.replace("{url}", `${shopOrigin}/${shownSlug}`)}
        </p>
        {store && labels.slugWarning && (
          <p id="store-slug-warning" className="text-xs font-medium text-amber-900" data-testid="store-slug-warning">
            {labels.slugWarning}
          </p>
        )}
        {errorLine("slug")}
      </div>
      <div>
        <Label htmlFor="store-country">{labels.country}</Label>
        <select
          id="store-country"
          name="country"
          className={SELECT}
          value={country}
          onChange={(e) => {
            const next = countries.find((c) => c.code === e.target.value) ?? profile;
            setCountry(next.code);
            setCurrency(next.currency);
            setTimeZone(next.timeZone);
          }}
          aria-invalid={Boolean(error("country"))}
          aria-describedby={described("country")}
          data-testid="store-country"
        >
          {countries.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </select>
        {errorLine("country")}
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <div>
          <Label htmlFor="store-currency">{labels.currency}</Label>
          <select id="store-currency" name="currency" className={SELECT} value={currency} onChange={(e) => setCurrency(e.target.value)} aria-invalid={Boolean(error("currency"))} aria-describedby={described("currency")} data-testid="store-currency">
            {profile.currencies.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
          {errorLine("currency")}
        </div>
        <div>
          <Label htmlFor="store-timezone">{labels.timeZone}</Label>
          <select id="store-timezone" name="timeZone" className={SELECT} value={timeZone} onChange={(e) => setTimeZone(e.target.value)} aria-invalid={Boolean(error("timeZone"))} aria-describedby={described("timeZone")} data-testid="store-timezone">
            {timeZones.map((z) => (
              <option key={z} value={z}>
                {z.replace("Africa/", "").replaceAll("_", " ")}
              </option>
            ))}
          </select>
          {errorLine("timeZone")}
        </div>
      </div>
      <div>
        <Label htmlFor="store-logo">{labels.logo}</Label>
        {store?.logoUrl && (
          <div className="mb-2 flex items-center gap-3">
            {/* eslint-disable-next-line @next/next/no-img-element -- served as stored, like product images */}
            <img src={store.logoUrl} alt={labels.currentLogo ?? ""} width={48} height={48} className="size-12 rounded-lg border border-stone-200 object-contain" data-testid="store-logo-current" />
            {labels.removeLogo && (
              <label className="flex min-h-11 items-center gap-2 text-sm">
                <input type="checkbox" name="removeLogo" className="size-5" data-testid="store-logo-remove" />
                {labels.removeLogo}
              </label>
            )}
          </div>
        )}
        <input
          id="store-logo"
          name="logo"
          type="file"
          accept="image/png,image/jpeg,image/webp"
          aria-invalid={Boolean(error("logo"))}
          aria-describedby={described("logo", true)}
          className="block w-full text-sm"
          data-testid="store-logo"
        />
        <p id="store-logo-hint" className="text-xs text-stone-500">
          {labels.logoHint}
        </p>
        {errorLine("logo")}
      </div>
      <Button type="submit" disabled={pending} className="w-full" data-testid="store-submit">
        {pending ? labels.submitting : labels.submit}
      </Button>
      <Message state={state} testId="store-result" />
    </form>
  );
}
