// The raw log of one session as the runtime printed it (Drover's own events as JSON lines),
// streamed in batches so a 50,000-event log never sits in memory at once.
import { getDb } from "@drover/db";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }) {
  const sessionId = Number((await ctx.params).id);
  if (!Number.isInteger(sessionId) || sessionId <= 0) return new Response("bad session id\n", { status: 400 });
  const db = getDb();
  const exists = await db.agentSession.findUnique({ where: { id: sessionId }, select: { id: true } });
  if (!exists) return new Response(`session ${sessionId} not found\n`, { status: 404 });
  const enc = new TextEncoder();
  let after = -1;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const rows = await db.sessionEvent.findMany({
        where: { sessionId, seq: { gt: after } },
        orderBy: { seq: "asc" },
        take: 2000,
        select: { seq: true, at: true, kind: true, text: true, payload: true, raw: true },
      });
      if (!rows.length) return controller.close();
      after = rows[rows.length - 1]!.seq;
      const text = rows
        .map((r) => r.raw ?? JSON.stringify({ seq: r.seq, at: r.at, kind: r.kind, text: r.text, payload: r.payload }))
        .join("\n");
      controller.enqueue(enc.encode(`${text}\n`));
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/plain; charset=utf-8",
      "content-disposition": `attachment; filename="session-${sessionId}.log"`,
    },
  });
}
