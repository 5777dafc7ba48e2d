import { outboxDeps } from "@/lib/mail/outbox-deps";
import { outboxMessageResponse } from "@/lib/mail/routes";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  return outboxMessageResponse(await outboxDeps(), (await params).id);
}
