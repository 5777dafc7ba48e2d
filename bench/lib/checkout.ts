/**
 * A shopper's checkout as a browser with JavaScript off makes it: GET the page (the cart checkout
 * /<merchant>/checkout or a payment link /pay/<id>), take the payment form's hidden fields (React's
 * $ACTION_REF/$ACTION_KEY progressive-enhancement inputs included), fill in the shopper, the cart
 * (which a JS browser copies from localStorage into the form's `cart` field) or the amount, and
 * the payment option, then POST it as multipart/form-data and expect a 303 to the provider.
 */
export type CheckoutKind = "cart" | "link";
export type CartLine = { productId: string; quantity: number };

export async function submitCheckout(
  appUrl: string,
  input: { kind: CheckoutKind; option: string; cart: CartLine[]; link: string; i: number; merchant?: string; beforePost?: () => void },
): Promise<{ pageMs: number; clientMs: number; location: string }> {
  const pagePath = input.kind === "cart" ? `/${input.merchant ?? "demo"}/checkout` : `/pay/${input.link}`;
  const pageStarted = performance.now();
  const page = await fetch(`${appUrl}${pagePath}`);
  const html = await page.text();
  const pageMs = performance.now() - pageStarted;
  if (!page.ok) throw new Error(`GET ${pagePath}: HTTP ${page.status}`);
  const hidden = paymentFormFields(html, input.kind === "cart" ? "merchant" : "link");

  const form = new FormData();
  for (const [name, value] of hidden) form.append(name, value);
  if (input.kind === "cart") form.set("cart", JSON.stringify(input.cart));
  else form.set("amount", String(1000 + (input.i % 50) * 100));
  form.set("name", "Aminata Traoré");
  form.set("country", "CI");
  form.set("phone", "0707070707");
  form.set("email", "aminata.traore@example.ci");
  form.set("option", input.option);
  // A card payment at CinetPay needs the billing address (its CREDIT_CARD channel refuses without one).
  if (input.option.includes(".card.")) for (const [k, v] of Object.entries({ address: "Rue des Jardins 12", city: "Abidjan", state: "Lagunes", zip: "00225" })) form.set(k, v);

  input.beforePost?.();
  const started = performance.now();
  const res = await fetch(`${appUrl}${pagePath}`, { method: "POST", body: form, redirect: "manual", headers: { origin: appUrl } });
  await res.arrayBuffer();
  const clientMs = performance.now() - started;
  const location = res.headers.get("location") ?? "";
  if (res.status !== 303 || !location.includes("/sandbox/")) {
    throw new Error(`POST ${pagePath} (${input.option}): expected a 303 to the provider, got ${res.status} ${location}`);
  }
  return { pageMs, clientMs, location };
}

/** The hidden inputs of the page's payment form (the one holding `marker`), as a no-JS browser would submit them. */
function paymentFormFields(html: string, marker: string): [string, string][] {
  const form = html.split("<form").slice(1).map((f) => f.slice(0, f.indexOf("</form>"))).find((f) => f.includes(`name="${marker}"`));
  if (!form) throw new Error(`no form with a ${marker} field on the page`);
  const fields: [string, string][] = [];
  for (const match of form.matchAll(/<input\b[^>]*>/g)) {
    const tag = match[0];
    const attr = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
    if (attr("type") !== "hidden") continue;
    const name = attr("name");
    if (name) fields.push([decode(name), decode(attr("value") ?? "")]);
  }
  if (!fields.some(([name]) => name.startsWith("$ACTION_"))) throw new Error("the payment form carries no server action fields");
  return fields;
}

function decode(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}
