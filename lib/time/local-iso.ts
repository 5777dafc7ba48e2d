import { validZone } from "./store-clock";

/**
 * "2026-12-07T18:47:05+03:00": an instant as the store's wall clock with its UTC offset, to the
 * second (truncated), for exports a spreadsheet or a script reads. The COPY export writes the
 * same in SQL (lib/dashboard/csv-copy.ts). Built by hand rather than with Intl per value: the
 * export formats one per row (≥ 50,000 rows/s); Intl is asked only for the offset, once per
 * quarter hour of UTC time (zones change offset on a quarter hour).
 */
export function localIsoFormatter(timeZone: string): (d: Date) => string {
  const zone = validZone(timeZone);
  const names = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" });
  const offsets = new Map<number, { minutes: number; text: string }>();
  let lastQuarter = NaN;
  let last = { minutes: 0, text: "+00:00" };
  const offsetAt = (ms: number) => {
    const quarter = Math.floor(ms / 900_000);
    if (quarter === lastQuarter) return last;
    let known = offsets.get(quarter);
    if (!known) {
      // "GMT+03:00", "GMT-01:00", or "GMT" for UTC itself.
      const name = names.formatToParts(new Date(quarter * 900_000)).find((p) => p.type === "timeZoneName")?.value ?? "GMT";
      const m = /^GMT([+-])(\d\d):(\d\d)/.exec(name);
      const minutes = m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
      known = { minutes, text: m ? `${m[1]}${m[2]}:${m[3]}` : "+00:00" };
      if (offsets.size > 10_000) offsets.clear();
      offsets.set(quarter, known);
    }
    lastQuarter = quarter;
    last = known;
    return known;
  };
  // Rows come sorted, mostly by time: the day's "YYYY-MM-DDT" is built once per local day, and
  // the time of day from integer arithmetic (no Date per value).
  let dayStart = NaN;
  let dayText = "";
  return (d) => {
    const ms = d.getTime();
    const offset = offsetAt(ms);
    const local = ms + offset.minutes * 60_000;
    const start = Math.floor(local / DAY_MS) * DAY_MS;
    if (start !== dayStart) {
      const day = new Date(start);
      dayStart = start;
      dayText = `${day.getUTCFullYear()}-${TWO[day.getUTCMonth() + 1]}-${TWO[day.getUTCDate()]}T`;
    }
    const seconds = Math.floor((local - start) / 1000);
    return `${dayText}${TWO[Math.floor(seconds / 3600)]}:${TWO[Math.floor(seconds / 60) % 60]}:${TWO[seconds % 60]}${offset.text}`;
  };
}

const DAY_MS = 86_400_000;
/** "00" to "59". */
const TWO = Array.from({ length: 60 }, (_, n) => (n < 10 ? `0${n}` : `${n}`));
