// The raw log of one session as the runtime printed it (Drover's own events as JSON lines),
// streamed in batches so a 50,000-event log never sits in memory at once.
import { createContext } from "@drover/api";
import { projectRefusal } from "@drover/auth/project-access";
import { rawSessionLog } from "@drover/db/services/session-views";
import { guardedRoute } from "@/server/posture/guarded-route";
import { streamResponse } from "@/server/stream-response";

export const dynamic = "force-dynamic";

export const GET = guardedRoute(async (req: Request, ctx: { params: Promise<{ id: string }> }) => {
  // Outside tRPC, so its own check: any signed-in role may read logs (viewer is the least role) of
  // a project they may see.
  const api = createContext({ req });
  const who = await api.signedIn;
  if (!who) return new Response("Sign in first.\n", { status: 401 });
  const sessionId = Number((await ctx.params).id);
  if (!Number.isInteger(sessionId) || sessionId <= 0 || sessionId > 2_147_483_647) return new Response("bad session id\n", { status: 400 });
  // Per-project membership, as the API applies it.
  const session = await api.db.agentSession.findUnique({ where: { id: sessionId }, select: { projectId: true } });
  const refusal = session ? await projectRefusal(api.db, who.user, session.projectId) : null;
  if (refusal) return new Response(`${refusal}\n`, { status: 403 });
  const lines = await rawSessionLog(api.db, sessionId);
  if (!lines) return new Response(`session ${sessionId} not found\n`, { status: 404 });
  return streamResponse(lines, {
    "content-type": "text/plain; charset=utf-8",
    "content-disposition": `attachment; filename="session-${sessionId}.log"`,
  });
});
