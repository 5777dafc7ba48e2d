import { outboxDeps } from "@/lib/mail/outbox-deps";
import { outboxListResponse } from "@/lib/mail/routes";

export const dynamic = "force-dynamic";

export async function GET(req: Request) {
  return outboxListResponse(await outboxDeps(), req);
}
