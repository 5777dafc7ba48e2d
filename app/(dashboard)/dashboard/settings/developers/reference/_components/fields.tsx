import type { ReactNode } from "react";
import type { FieldView } from "@/lib/api/reference";

/** A description's `code` spans as <code>: the spec's descriptions are written that way. */
export function Inline({ text }: { text: string }) {
  return (
    <>
      {text.split(/(`[^`]+`)/).map((part, i) =>
        part.startsWith("`") && part.endsWith("`") && part.length > 1 ? (
          <code key={i} className="rounded bg-stone-100 px-1 font-mono text-[0.85em] break-all">
            {part.slice(1, -1)}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}

export function MethodBadge({ method }: { method: string }) {
  const colour = method === "GET" ? "bg-emerald-100 text-emerald-900" : method === "DELETE" ? "bg-red-100 text-red-900" : "bg-sky-100 text-sky-900";
  return <span className={`rounded px-1.5 py-0.5 font-mono text-xs font-bold ${colour}`}>{method}</span>;
}

type Labels = { required: string; optional: string; nullable: string; none: string };

/** Fields as a list, not a table: a phone at 360 px reads each one whole, without scrolling sideways. */
export function FieldList({ title, fields, labels, testId }: { title: string; fields: FieldView[]; labels: Labels; testId?: string }): ReactNode {
  return (
    <div className="space-y-1" data-testid={testId}>
      <h4 className="text-sm font-semibold">{title}</h4>
      {fields.length === 0 ? (
        <p className="text-sm text-stone-600">{labels.none}</p>
      ) : (
        <ul className="divide-y divide-stone-100 rounded-lg border border-stone-200 text-sm">
          {fields.map((f) => (
            <li key={f.name} className="space-y-0.5 px-3 py-2" data-testid="api-field" data-name={f.name}>
              <p className="flex flex-wrap items-baseline gap-x-2">
                <code className="font-mono font-semibold break-all">{f.name}</code>
                <span className="font-mono text-xs text-stone-700">
                  {f.ref ? (
                    <a href={`#object-${f.ref}`} className="text-brand-700 underline">
                      {f.type}
                    </a>
                  ) : (
                    f.type
                  )}
                  {f.nullable ? ` ${labels.nullable}` : ""}
                </span>
                <span className={`text-xs ${f.required ? "font-medium text-red-800" : "text-stone-600"}`}>{f.required ? labels.required : labels.optional}</span>
              </p>
              {f.constraints.length > 0 && <p className="font-mono text-xs break-all text-stone-700">{f.constraints.join(" · ")}</p>}
              {f.description && (
                <p className="text-stone-700">
                  <Inline text={f.description} />
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
