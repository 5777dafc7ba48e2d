import { NextResponse } from "next/server";

// Turbopack looks for proxy.ts and instrumentation.ts up the parent folders and would find the
// product's: these two stand in for them. Like the product's proxy, it never sees the pages measured.
export default function proxy() {
  return NextResponse.next();
}

export const config = { matcher: ["/never-matched/:path*"] };
