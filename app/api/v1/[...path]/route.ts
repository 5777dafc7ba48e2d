import { apiResponse } from "@/lib/api/routes";
import { apiDeps } from "@/lib/api/server-deps";

export const dynamic = "force-dynamic";

async function handler(req: Request) {
  return apiResponse(await apiDeps(), req);
}

export { handler as GET, handler as POST, handler as PUT, handler as PATCH, handler as DELETE };
