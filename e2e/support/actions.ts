/**
 * The server action ids a page's HTML carries: a plain form action's hidden `$ACTION_ID_<id>`
 * input, and a useActionState form's bound reference (`$ACTION_<n>:0`, whose JSON holds the id).
 */
export function actionIds(html: string): string[] {
  const plain = [...html.matchAll(/name="\$ACTION_ID_([0-9a-f]+)"/g)].map((m) => m[1]!);
  const bound = [...html.matchAll(/name="\$ACTION_\d+:0" value="\{&quot;id&quot;:&quot;([0-9a-f]+)&quot;/g)].map((m) => m[1]!);
  return [...new Set([...plain, ...bound])];
}

/** The ids a page's client scripts call (forms submitted by JavaScript, buttons): createServerReference("<id>", …). */
export function scriptActionIds(js: string): string[] {
  return [...new Set([...js.matchAll(/createServerReference\)\("([0-9a-f]+)"/g)].map((m) => m[1]!))];
}

/** The client scripts a page loads. */
export function scriptPaths(html: string): string[] {
  return [...new Set([...html.matchAll(/<script src="(\/_next\/static\/chunks\/[^"]+\.js)"/g)].map((m) => m[1]!))];
}
