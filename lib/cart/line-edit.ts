import "server-only";
import { z } from "zod";
import { recordId } from "@/lib/validation";
import { changeCart, type CartShortage } from "./change";

/** `inc:prd_…`, `dec:prd_…`, `remove:prd_…`: the value of the checkout's −, + and remove buttons. */
const lineEdit = z.object({
  merchant: recordId,
  line: z.string().regex(/^(inc|dec|remove):prd_[A-Za-z0-9]{22}$/),
});

/**
 * The checkout's −, + and remove are submit buttons of the checkout form itself (named `line`),
 * so that what the shopper already typed travels with them and comes back, with JavaScript or
 * without. Returns null when the post was not one of them; else it only changed the cart (a
 * product already in it, never one added; a + past the stock refused, as `short`), and nothing is
 * to be placed. A malformed `line` changes nothing.
 */
export async function editCheckoutLine(form: FormData): Promise<{ short: CartShortage | null } | null> {
  if (!form.has("line")) return null;
  const parsed = lineEdit.safeParse({ merchant: form.get("merchant"), line: form.get("line") });
  if (!parsed.success) return { short: null };
  const [op, product] = parsed.data.line.split(":") as ["inc" | "dec" | "remove", string];
  return { short: await changeCart(parsed.data.merchant, op, product) };
}
