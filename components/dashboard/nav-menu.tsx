"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { currentSection } from "./sections";

type Section = { key: string; href: string; label: string };

const linkClass =
  "flex min-h-11 items-center rounded-lg px-3 text-sm font-medium text-stone-700 hover:bg-stone-100 hover:text-brand-700 aria-[current=page]:bg-brand-50 aria-[current=page]:font-semibold aria-[current=page]:text-brand-700";

/**
 * Every section, never a strip that scrolls sideways and hides half of them. On a phone, a
 * "Menu" <details> (works without JavaScript) opens a two-column grid of all nine, the current
 * one marked (the page's heading names it too, and the store's name keeps the row's room); from
 * 1024 px they all fit in one row. The two lists are never shown together (display: none), so a screen reader meets one. Rendered on the server too:
 * aria-current is in the HTML before any script runs.
 */
export function NavMenu({ label, menu, sections }: { label: string; menu: string; sections: Section[] }) {
  const pathname = usePathname();
  const current = currentSection(pathname);
  const item = (s: Section, testId: string) => (
    <li key={s.key}>
      <Link href={s.href} aria-current={s.key === current ? "page" : undefined} className={linkClass} data-testid={testId}>
        {s.label}
      </Link>
    </li>
  );
  return (
    <nav aria-label={label} className="shrink-0 lg:w-full" data-testid="dashboard-nav">
      {/* A new key per path: the menu is closed again on the page a link opened. */}
      <details key={pathname} className="group lg:hidden" data-testid="nav-menu">
        <summary className="flex min-h-11 cursor-pointer list-none items-center gap-2 rounded-lg border border-stone-300 bg-white px-3 text-sm font-semibold text-stone-800 [&::-webkit-details-marker]:hidden">
          <span aria-hidden="true">☰</span>
          <span>{menu}</span>
        </summary>
        <ul className="absolute inset-x-0 z-30 mt-1 grid grid-cols-2 gap-1 border-y border-stone-200 bg-white p-2 shadow-lg">{sections.map((s) => item(s, `menu-${s.key}`))}</ul>
      </details>
      <ul className="hidden flex-wrap gap-1 py-1 lg:flex">{sections.map((s) => item(s, `nav-${s.key}`))}</ul>
    </nav>
  );
}
