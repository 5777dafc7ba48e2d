import { localIsoFormatter } from "./local-iso";

/**
 * Store-local calendar days (issue 16): the overview's periods, the rollups' days
 * (db/migrations/0014_store_local_days.sql), the orders' date filter and the settlement dates are
 * days on the store's wall clock, not UTC days. A day is "YYYY-MM-DD"; an instant is a Date.
 */

/** The store-local day an instant falls on. */
export function localDay(at: Date, timeZone: string): string {
  return localIsoFormatter(timeZone)(at).slice(0, 10);
}

/** "2026-12-01" plus `days` calendar days (negative: before). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

const offsetMinutes = (iso: string) => {
  const m = /([+-])(\d\d):(\d\d)$/.exec(iso)!;
  return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
};

/**
 * The first instant of a store-local day: its local midnight ("from 2026-12-01" in Nairobi is
 * 2026-11-30T21:00Z). The offset is read at the guess and read again where that lands, so a day
 * whose offset differs from the day before's still starts at its own midnight.
 */
export function startOfLocalDay(day: string, timeZone: string): Date {
  const format = localIsoFormatter(timeZone);
  const wall = Date.parse(`${day}T00:00:00Z`);
  const first = wall - offsetMinutes(format(new Date(wall))) * 60_000;
  const at = wall - offsetMinutes(format(new Date(first))) * 60_000;
  // A midnight the clocks skip (a DST jump at 00:00): the day starts when its first hour does.
  return localDay(new Date(at), timeZone) === day ? new Date(at) : new Date(first);
}
