import { getTranslations } from "next-intl/server";
import { NavMenu } from "./nav-menu";
import { SECTIONS } from "./sections";

/** The dashboard's sections, labelled in the page's language; the current one is marked on the client side of the render (nav-menu.tsx). */
export async function DashboardNav() {
  const t = await getTranslations("dashboard.nav");
  return <NavMenu label={t("label")} menu={t("menu")} sections={SECTIONS.map((s) => ({ ...s, label: t(s.key) }))} />;
}
