import type { Permission } from "@/lib/auth/permissions";

/**
 * The README's "Roles" table, written out by hand for the tests: lib/auth/permissions.ts must
 * grant exactly this, and every lib function behind a dashboard action must refuse exactly this.
 */
export const EXPECTED_MATRIX: Record<Permission, { owner: boolean; staff: boolean }> = {
  view: { owner: true, staff: true },
  export: { owner: true, staff: true },
  recheck: { owner: true, staff: true },
  replay: { owner: true, staff: true },
  links: { owner: true, staff: true },
  products: { owner: true, staff: true },
  refund: { owner: true, staff: false },
  exceptions: { owner: true, staff: false },
  settings: { owner: true, staff: false },
  team: { owner: true, staff: false },
  developers: { owner: true, staff: false },
};
