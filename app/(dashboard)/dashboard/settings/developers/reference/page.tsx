import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { openApiDocument, OPENAPI_PATH } from "@/lib/api/openapi";
import { DEFAULT_RATE_LIMIT } from "@/lib/api/rate-limit";
import { referenceView } from "@/lib/api/reference";
import { API_BODY_LIMIT } from "@/lib/api/request";
import { requireMerchant } from "@/lib/auth/guard";
import { env } from "@/lib/env";
import { FieldList, Inline, MethodBadge } from "./_components/fields";

export const metadata = { title: "API reference" };

const code = (chunks: ReactNode) => <code className="rounded bg-stone-100 px-1 font-mono text-[0.85em] break-all">{chunks}</code>;

/**
 * Settings → Developers → API reference: the OpenAPI document that /api/v1/openapi.json serves,
 * rendered on the server (no client library). Owners only, like the rest of Developers.
 */
export default async function ApiReferencePage() {
  await requireMerchant("developers");
  const [t, td, ts] = await Promise.all([getTranslations("apiReference"), getTranslations("developers"), getTranslations("settings")]);
  const view = referenceView(openApiDocument(env().APP_URL));
  const labels = { required: t("required"), optional: t("optional"), nullable: t("nullable"), none: t("noFields") };
  const essentials = [
    { title: t("auth"), text: t.rich("authText", { code }) },
    { title: t("bodies"), text: t.rich("bodiesText", { code, kb: API_BODY_LIMIT / 1024 }) },
    { title: t("idempotency"), text: t.rich("idempotencyText", { code }) },
    { title: t("pagination"), text: t.rich("paginationText", { code, query: "?limit=1..100&starting_after=<id>", list: '{"object": "list", "data": […], "has_more": true}' }) },
    { title: t("rateLimit"), text: t.rich("rateLimitText", { code, requests: DEFAULT_RATE_LIMIT.requests, seconds: DEFAULT_RATE_LIMIT.windowMs / 1000 }) },
    { title: t("errors"), text: t.rich("errorsText", { code, shape: '{"error": {"type", "code", "message", "param"}}' }) },
  ];
  return (
    <div className="space-y-8" data-testid="api-reference">
      <div className="space-y-3">
        <p className="text-sm">
          <Link href="/dashboard/settings" className="text-brand-700 underline">
            {ts("title")}
          </Link>{" "}
          /{" "}
          <Link href="/dashboard/settings/developers" className="text-brand-700 underline">
            {td("title")}
          </Link>{" "}
          / {t("title")}
        </p>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="text-sm text-stone-700">{t("intro")}</p>
        <p className="text-sm text-stone-700">
          {t.rich("openapi", {
            link: (chunks) => (
              <a href={OPENAPI_PATH} className="font-mono text-brand-700 underline" data-testid="api-openapi-link">
                {chunks}
              </a>
            ),
          })}
        </p>
        <p className="text-sm text-stone-700">{t.rich("baseUrl", { code, url: view.serverUrl })}</p>
        <p className="text-sm text-stone-600">{t("englishFields")}</p>
      </div>

      <section className="space-y-3" aria-labelledby="essentials">
        <h2 id="essentials" className="text-lg font-semibold">
          {t("essentials")}
        </h2>
        <dl className="space-y-3 rounded-xl border border-stone-200 bg-white p-4 text-sm">
          {essentials.map((e) => (
            <div key={e.title}>
              <dt className="font-semibold">{e.title}</dt>
              <dd className="text-stone-700">{e.text}</dd>
            </div>
          ))}
        </dl>
      </section>

      <nav className="space-y-2" aria-labelledby="contents">
        <h2 id="contents" className="text-lg font-semibold">
          {t("contents")}
        </h2>
        <ul className="space-y-1 text-sm">
          {view.groups.flatMap((g) =>
            g.operations.map((op) => (
              <li key={op.id} className="flex flex-wrap items-center gap-2">
                <MethodBadge method={op.method} />
                <a href={`#op-${op.id}`} className="font-mono text-brand-700 underline break-all">
                  {op.path}
                </a>
                <span className="text-stone-600">{op.summary}</span>
              </li>
            )),
          )}
        </ul>
      </nav>

      {view.groups.map((group) => (
        <section key={group.tag} className="space-y-4" aria-labelledby={`tag-${group.tag}`}>
          <h2 id={`tag-${group.tag}`} className="text-lg font-semibold">
            {group.tag}
          </h2>
          {group.operations.map((op) => (
            <article key={op.id} id={`op-${op.id}`} className="space-y-3 rounded-xl border border-stone-200 bg-white p-4" data-testid="api-operation" data-operation={op.id}>
              <h3 className="flex flex-wrap items-center gap-2 text-base font-semibold">
                <MethodBadge method={op.method} />
                <code className="font-mono break-all">{op.path}</code>
              </h3>
              <p className="text-sm font-medium">{op.summary}</p>
              <p className="text-sm text-stone-700">
                <Inline text={op.description} />
              </p>
              {op.pathParams.length > 0 && <FieldList title={t("pathParams")} fields={op.pathParams} labels={labels} />}
              {op.query.length > 0 && <FieldList title={t("queryParams")} fields={op.query} labels={labels} />}
              {op.headers.length > 0 && <FieldList title={t("headers")} fields={op.headers} labels={labels} />}
              {op.method === "POST" && <FieldList title={t("body")} fields={op.body} labels={labels} testId="api-body" />}
              <div className="space-y-1 text-sm">
                <h4 className="font-semibold">{t("response")}</h4>
                <p>
                  {t("responseReturns", { status: op.response.status, description: op.response.description })}{" "}
                  {op.response.object && (
                    <a href={`#object-${op.response.object}`} className="font-mono text-brand-700 underline">
                      {op.response.object}
                    </a>
                  )}
                  {op.response.headers.map((h) => (
                    <span key={h}>
                      {" "}
                      · {t("responseHeader")} {code(h)}
                    </span>
                  ))}
                </p>
              </div>
              {/* Mostly the errors every route shares: folded, natively (no script), so the routes stay in sight. */}
              <details className="space-y-1 text-sm" data-testid="api-errors">
                <summary className="cursor-pointer font-semibold">
                  {t("errorResponses")} ({op.errors.map((e) => e.status).join(", ")})
                </summary>
                <ul className="mt-1 space-y-1">
                  {op.errors.map((e) => (
                    <li key={e.status} data-status={e.status}>
                      <span className="font-mono font-semibold">{e.status}</span> {e.description}
                      {e.headers.length > 0 && (
                        <>
                          {" "}
                          ({t("errorHeader")}{" "}
                          {e.headers.map((h) => (
                            <span key={h}>{code(h)}</span>
                          ))}
                          )
                        </>
                      )}
                      <ul className="ml-4 list-disc text-stone-700">
                        {e.codes.map((c) => (
                          <li key={c.code}>
                            {code(c.code)}: <Inline text={c.description} />
                          </li>
                        ))}
                      </ul>
                    </li>
                  ))}
                </ul>
              </details>
            </article>
          ))}
        </section>
      ))}

      <section className="space-y-4" aria-labelledby="objects">
        <h2 id="objects" className="text-lg font-semibold">
          {t("objects")}
        </h2>
        {view.objects.map((o) => (
          <article key={o.name} id={`object-${o.name}`} className="space-y-2 rounded-xl border border-stone-200 bg-white p-4" data-testid="api-object" data-object={o.name}>
            <h3 className="font-mono text-base font-semibold">{o.name}</h3>
            {o.description && <p className="text-sm text-stone-700">{o.description}</p>}
            <FieldList title={t("fields")} fields={o.fields} labels={labels} />
          </article>
        ))}
      </section>
    </div>
  );
}
