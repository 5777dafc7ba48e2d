import type { AppLocale } from "./locale";

/**
 * Messages are split by area (shared, checkout, dashboard) so each area's strings live apart;
 * every request gets all of them, merged by top-level namespace.
 */
export const MESSAGE_FILES = ["", ".checkout", ".dashboard"] as const;

export async function loadMessages(locale: AppLocale): Promise<Record<string, unknown>> {
  const parts = await Promise.all(MESSAGE_FILES.map((suffix) => import(`./messages/${locale}${suffix}.json`).then((m) => m.default as Record<string, unknown>)));
  return Object.assign({}, ...parts);
}
