import type { MerchantContext, Role } from "./membership";

/**
 * What a member of a store may do, the one table every dashboard page, server action and route
 * asks (through requireMerchant) and every lib function behind an action asks again (`can`):
 * hiding a button is not the protection. The README's "Roles" table says the same.
 *
 * Staff run the shop floor: they see everything (secrets excepted, which nobody sees), export it,
 * ask a provider again (re-check, replay a delivery), send payment links and keep the catalogue
 * (products), none of which moves money out or changes who may do what. Money out (refunds, resolving exceptions), provider
 * accounts, the team and the API keys are the owners'.
 */
export const PERMISSIONS = ["view", "export", "recheck", "replay", "links", "products", "refund", "exceptions", "settings", "team", "developers"] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, ReadonlySet<Permission>> = {
  owner: new Set(PERMISSIONS),
  staff: new Set(["view", "export", "recheck", "replay", "links", "products"]),
};

export function can(ctx: Pick<MerchantContext, "role">, permission: Permission): boolean {
  // A role the table does not know (a later enum value, a hand-edited row) may do nothing.
  return GRANTS[ctx.role]?.has(permission) ?? false;
}
