// See proxy.ts: stops Turbopack from picking up the product's instrumentation.ts.
export function register() {}
