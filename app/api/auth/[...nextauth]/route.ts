import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { screenAuthRequest } from "@/lib/auth/route-screen";

async function handler(req: Request, context: { params: Promise<{ nextauth: string[] }> }) {
  const screened = await screenAuthRequest(req);
  if (screened instanceof Response) return screened;
  return NextAuth(authOptions())(screened, context);
}

export { handler as GET, handler as POST };
