import { randomInt } from "node:crypto";
import { and, desc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { sandboxTransactions } from "@/db/schema";
import { newId } from "@/lib/ids";
import type { SandboxDeps } from "../types";
import { OPEN_STATUSES, type SimStatus } from "./codes";

/** What the merchant sent when the session was opened (hosted form or REST /transact). */
export const sessionRequestSchema = z.object({
  flow: z.enum(["hosted", "rest"]),
  live: z.string(),
  oid: z.string(),
  inv: z.string(),
  tel: z.string(),
  eml: z.string(),
  curr: z.string(),
  p1: z.string(),
  p2: z.string(),
  p3: z.string(),
  p4: z.string(),
  cbk: z.string(),
  cst: z.string(),
  crl: z.string(),
  autopay: z.boolean(),
  channels: z.array(z.string()),
  lang: z.string().optional(),
});
export type SessionRequest = z.infer<typeof sessionRequestSchema>;

/** Everything iPay knows about a session after the shopper acted. */
export const sessionStateSchema = z.object({
  ipnCode: z.string().optional(),
  paidMinor: z.number().int().optional(),
  channel: z.string().optional(),
  payer: z.object({ firstname: z.string(), lastname: z.string(), phone: z.string() }).optional(),
  /** The opaque ids of the callback, which the IPN check must repeat. */
  ids: z.record(z.string(), z.string()).optional(),
  paidAt: z.string().optional(),
  push: z.object({ phone: z.string(), requestedAt: z.string(), expiresAt: z.string() }).optional(),
  failureMessage: z.string().optional(),
  refunds: z.array(z.object({ id: z.string(), amountMinor: z.number().int(), at: z.string() })).optional(),
});
export type SessionState = z.infer<typeof sessionStateSchema>;

type Row = typeof sandboxTransactions.$inferSelect;
export type Session = Omit<Row, "status" | "request" | "state"> & { status: SimStatus; request: SessionRequest; state: SessionState };

function toSession(row: Row): Session {
  return { ...row, status: row.status as SimStatus, request: sessionRequestSchema.parse(row.request), state: sessionStateSchema.parse(row.state) };
}

/** iPay keeps only the alphanumerics of an oid (`some-fictitious-id1` → `somefictitiousid1`). */
export function stripOid(oid: string): string {
  return oid.replace(/[^A-Za-z0-9]/g, "");
}

function digits(n: number): string {
  let out = "";
  for (let i = 0; i < n; i++) out += String(randomInt(10));
  return out;
}

/** Shaped like iPay's: `SOMDEM31454154514496218016475DEMO` (oid and vid prefixes, digits, VID). */
function newSid(oid: string, vid: string): string {
  return `${oid.slice(0, 3)}${vid.slice(0, 3)}${digits(26)}${vid}`.toUpperCase();
}

/** A 10-character M-Pesa-like receipt (`PG28TZAZ0E`). */
export function newTransactionCode(): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
  let out = "";
  for (let i = 0; i < 10; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** The opaque numeric ids iPay puts on every callback. */
export function newCallbackIds(): Record<string, string> {
  return Object.fromEntries(["qwh", "afd", "poi", "uyt", "ifd", "agt"].map((k) => [k, String(1_000_000_000 + randomInt(1_000_000_000))]));
}

export type OpenSession = { accountId: string; oid: string; amountMinor: number; currency: string; request: SessionRequest; faults?: Record<string, unknown> };

/**
 * Opens a session for an oid, or reopens the one already there when it was never paid (iPay lets
 * a shopper retry the same order). A paid oid is refused: returns { conflict }.
 */
export async function openSession(deps: SandboxDeps, input: OpenSession): Promise<{ session: Session } | { conflict: Session }> {
  const existing = await findByReference(deps, input.accountId, input.oid);
  const values = {
    amountMinor: input.amountMinor,
    currency: input.currency,
    request: input.request,
    status: "initiated" satisfies SimStatus,
    state: {},
    faults: input.faults ?? {},
    phone: input.request.tel.slice(0, 20),
    providerTransactionId: null,
  };
  if (existing) {
    if (!OPEN_STATUSES.includes(existing.status)) return { conflict: existing };
    const [row] = await deps.db.update(sandboxTransactions).set(values).where(eq(sandboxTransactions.id, existing.id)).returning();
    return { session: toSession(row!) };
  }
  const [row] = await deps.db
    .insert(sandboxTransactions)
    .values({ id: newId("sbx"), provider: "ipay", accountId: input.accountId, merchantReference: input.oid, token: newSid(input.oid, input.accountId), ...values })
    .returning();
  return { session: toSession(row!) };
}

export async function findByReference(deps: SandboxDeps, accountId: string, oid: string): Promise<Session | null> {
  const [row] = await deps.db
    .select()
    .from(sandboxTransactions)
    .where(and(eq(sandboxTransactions.provider, "ipay"), eq(sandboxTransactions.accountId, accountId), eq(sandboxTransactions.merchantReference, oid)));
  return row ? toSession(row) : null;
}

export async function findByToken(deps: SandboxDeps, sid: string): Promise<Session | null> {
  const [row] = await deps.db.select().from(sandboxTransactions).where(and(eq(sandboxTransactions.provider, "ipay"), eq(sandboxTransactions.token, sid)));
  return row ? toSession(row) : null;
}

export async function findByCode(deps: SandboxDeps, accountId: string, code: string): Promise<Session | null> {
  const [row] = await deps.db
    .select()
    .from(sandboxTransactions)
    .where(and(eq(sandboxTransactions.provider, "ipay"), eq(sandboxTransactions.accountId, accountId), eq(sandboxTransactions.providerTransactionId, code)));
  return row ? toSession(row) : null;
}

/** STK pushes waiting on one phone, newest first. */
export async function findPushesFor(deps: SandboxDeps, phone: string): Promise<Session[]> {
  const rows = await deps.db
    .select()
    .from(sandboxTransactions)
    .where(and(eq(sandboxTransactions.provider, "ipay"), eq(sandboxTransactions.phone, phone), inArray(sandboxTransactions.status, ["awaiting_pin"])))
    .orderBy(desc(sandboxTransactions.updatedAt));
  return rows.map(toSession);
}

export type SessionPatch = { status?: SimStatus; state?: SessionState; faults?: Record<string, unknown>; providerTransactionId?: string | null; phone?: string; method?: string };

/** Moves a session only from the status it was read in, so two clicks cannot both win. */
export async function updateSession(deps: SandboxDeps, session: Session, patch: SessionPatch): Promise<Session | null> {
  const [row] = await deps.db
    .update(sandboxTransactions)
    .set(patch)
    .where(and(eq(sandboxTransactions.id, session.id), eq(sandboxTransactions.status, session.status)))
    .returning();
  return row ? toSession(row) : null;
}
