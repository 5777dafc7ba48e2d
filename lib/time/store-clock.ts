/**
 * Every time a person reads (dashboard, receipt) goes through here: in the store's time zone,
 * one format per locale ("7 déc. 2026, 18:47" / "7 Dec 2026, 18:47"), labelled with the UTC
 * offset of that instant ("UTC+3"), so a Nairobi merchant reading 18:47 knows it is her 18:47.
 * en-GB rather than en-US: day before month, 24-hour clock, like the French format.
 */
const TAGS: Record<string, string> = { fr: "fr-FR", en: "en-GB" };

export type StoreClock = {
  /** "7 Dec 2026, 18:47 (UTC+3)" */
  dateTime(d: Date): string;
  /** "7 Dec 2026, 18:47:05 (UTC+3)", where events a few seconds apart must read in order (timeline). */
  dateTimeSeconds(d: Date): string;
  /** "7 Dec 2026": the store-local day. */
  date(d: Date): string;
  /** "18:47 (UTC+3)" */
  time(d: Date): string;
  /** "UTC+3", "UTC", "UTC+5:30" at that instant. */
  offset(d: Date): string;
};

const formatters = new Map<string, StoreClock>();

export function storeClock(locale: string, timeZone: string): StoreClock {
  const key = `${locale}\0${timeZone}`;
  const known = formatters.get(key);
  if (known) return known;
  const tag = TAGS[locale] ?? TAGS.en!;
  const zone = validZone(timeZone);
  const day = { day: "numeric", month: "short", year: "numeric" } as const;
  const clock = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" } as const;
  const fmt = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(tag, { ...options, timeZone: zone });
  const dateTime = fmt({ ...day, ...clock });
  const dateTimeSeconds = fmt({ ...day, ...clock, second: "2-digit" });
  const date = fmt(day);
  const time = fmt(clock);
  const offsetName = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "shortOffset" });
  const offset = (d: Date) => (offsetName.formatToParts(d).find((p) => p.type === "timeZoneName")?.value ?? "GMT").replace("GMT", "UTC").replace(/^UTC[+-]0$/, "UTC");
  const result: StoreClock = {
    dateTime: (d) => `${dateTime.format(d)} (${offset(d)})`,
    dateTimeSeconds: (d) => `${dateTimeSeconds.format(d)} (${offset(d)})`,
    date: (d) => date.format(d),
    time: (d) => `${time.format(d)} (${offset(d)})`,
    offset,
  };
  formatters.set(key, result);
  return result;
}

/** A zone the runtime does not know (a hand-edited row) reads in UTC rather than failing the page. */
export function validZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return timeZone;
  } catch {
    return "UTC";
  }
}

/**
 * "1 déc. 2026" from "2026-12-01": a calendar day (a settlement date), in the same format as
 * storeClock().date but with no zone to apply: it names a day, not an instant.
 */
export function calendarDay(locale: string, isoDate: string): string {
  const at = new Date(`${isoDate}T12:00:00Z`);
  return Number.isNaN(at.getTime()) ? isoDate : storeClock(locale, "UTC").date(at);
}

/** "1 déc." / "1 Dec" from "2026-12-01": a chart's axis, where the year is the period's and would only crowd it. */
export function calendarDayMonth(locale: string, isoDate: string): string {
  const at = new Date(`${isoDate}T12:00:00Z`);
  return Number.isNaN(at.getTime()) ? isoDate : new Intl.DateTimeFormat(TAGS[locale] ?? TAGS.en!, { day: "numeric", month: "short", timeZone: "UTC" }).format(at);
}
