import { bigint, timestamp, varchar } from "drizzle-orm/pg-core";

/** Money is an integer in the currency's minor unit; "number" mode is guarded by lib/money. */
export const minor = (name?: string) =>
  name ? bigint(name, { mode: "number" }) : bigint({ mode: "number" });
export const currency = () => varchar({ length: 3 });
export const createdAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();
export const updatedAt = () =>
  timestamp({ withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());
