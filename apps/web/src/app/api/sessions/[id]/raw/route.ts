// The raw log of one session as the runtime printed it (Drover's own events as JSON lines),
// streamed in batches so a 50,000-event log never sits in memory at once.
import { createContext } from "@drover/api";
import { rawSessionLog } from "@drover/db/services/session-views";
import { guardedRoute } from "@/server/posture/guarded-route";
import { streamResponse } from "@/server/stream-response";

export const dynamic = "force-dynamic";

export const GET = guardedRoute(async (_req: Request, ctx: { params: Promise<{ id: string }> }) => {
  const sessionId = Number((await ctx.params).id);
  if (!Number.isInteger(sessionId) || sessionId <= 0) return new Response("bad session id\n", { status: 400 });
  const lines = await rawSessionLog(createContext().db, sessionId);
  if (!lines) return new Response(`session ${sessionId} not found\n`, { status: 404 });
  return streamResponse(lines, {
    "content-type": "text/plain; charset=utf-8",
    "content-disposition": `attachment; filename="session-${sessionId}.log"`,
  });
});
