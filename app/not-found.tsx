import Link from "next/link";
import { getTranslations } from "next-intl/server";

export default async function NotFound() {
  const t = await getTranslations("notFound");
  return (
    <main className="mx-auto max-w-md px-4 py-16 text-center">
      <h1 className="text-2xl font-bold" data-testid="not-found">
        {t("title")}
      </h1>
      <Link href="/" className="mt-6 inline-block text-brand-700 underline">
        {t("back")}
      </Link>
    </main>
  );
}
