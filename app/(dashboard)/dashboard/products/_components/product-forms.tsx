"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/input";
import { Message } from "../../_components/form-message";
import type { FormState } from "../../_components/form-state";
import { archiveProductAction, createProductAction, moveProductAction, updateProductAction } from "../actions";

export type ProductLabels = { name: string; description: string; price: string; priceHint: string; stock: string; stockHint: string; image: string; submit: string };
type Values = { productId?: string; name?: string; description?: string; price?: string; stock?: string; stockSeen?: string };

/** Adds a product, or edits one when `initial.productId` is set; both keep what was typed after an error. */
export function ProductForm({ labels, initial = {}, testId }: { labels: ProductLabels; initial?: Values; testId: string }) {
  const [state, action, pending] = useActionState(initial.productId ? updateProductAction : createProductAction, {});
  const value = (f: keyof Values) => state.values?.[f] ?? initial[f];
  const error = (f: string) => state.fieldErrors?.[f];
  const field = (name: "name" | "price" | "stock", label: string, hint?: string, inputMode?: "decimal" | "numeric") => {
    const id = `${testId}-${name}`;
    return (
      <div>
        <Label htmlFor={id}>{label}</Label>
        <Input id={id} name={name} defaultValue={value(name)} inputMode={inputMode} maxLength={name === "name" ? 120 : 20} aria-invalid={Boolean(error(name))} aria-describedby={hint ? `${id}-hint` : undefined} data-testid={id} />
        {hint && (
          <p id={`${id}-hint`} className="text-xs text-stone-500">
            {hint}
          </p>
        )}
        {error(name) && <p className="text-sm text-red-700" data-testid={`${id}-error`}>{error(name)}</p>}
      </div>
    );
  };
  return (
    <form action={action} className="space-y-3" data-testid={testId} noValidate>
      {initial.productId && <input type="hidden" name="productId" value={initial.productId} />}
      {initial.productId && <input type="hidden" name="stockSeen" value={value("stockSeen") ?? initial.stock ?? ""} />}
      {field("name", labels.name)}
      <div>
        <Label htmlFor={`${testId}-description`}>{labels.description}</Label>
        <textarea id={`${testId}-description`} name="description" defaultValue={value("description")} maxLength={1000} rows={2} className="block w-full rounded-lg border border-stone-300 bg-white px-3 py-2 text-base" />
      </div>
      {field("price", labels.price, labels.priceHint, "decimal")}
      {field("stock", labels.stock, labels.stockHint, "numeric")}
      <div>
        <Label htmlFor={`${testId}-image`}>{labels.image}</Label>
        <input id={`${testId}-image`} name="image" type="file" accept="image/png,image/jpeg,image/webp" aria-invalid={Boolean(error("image"))} className="block w-full text-sm" data-testid={`${testId}-image`} />
        {error("image") && <p className="text-sm text-red-700" data-testid={`${testId}-image-error`}>{error("image")}</p>}
      </div>
      <Button type="submit" disabled={pending} data-testid={`${testId}-submit`}>
        {labels.submit}
      </Button>
      <Message state={state} testId={`${testId}-result`} />
    </form>
  );
}

function SmallAction({ action, fields, label, testId }: { action: (prev: FormState, form: FormData) => Promise<FormState>; fields: Record<string, string>; label: string; testId: string }) {
  const [state, run, pending] = useActionState(action, {});
  return (
    <form action={run}>
      {Object.entries(fields).map(([name, v]) => (
        <input key={name} type="hidden" name={name} value={v} />
      ))}
      <Button type="submit" variant="ghost" disabled={pending} data-testid={testId}>
        {label}
      </Button>
      {!state.ok && <Message state={state} testId={`${testId}-result`} />}
    </form>
  );
}

export function ProductControls({ productId, active, labels }: { productId: string; active: boolean; labels: { archive: string; restore: string; up: string; down: string } }) {
  return (
    <div className="flex flex-wrap gap-2">
      <SmallAction action={moveProductAction} fields={{ productId, direction: "up" }} label={labels.up} testId="product-up" />
      <SmallAction action={moveProductAction} fields={{ productId, direction: "down" }} label={labels.down} testId="product-down" />
      <SmallAction action={archiveProductAction} fields={{ productId, archived: active ? "true" : "false" }} label={active ? labels.archive : labels.restore} testId="product-archive" />
    </div>
  );
}
