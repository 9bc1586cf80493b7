"use client";
// The story's sessions; a running one's duration ticks every second.
import type { RouterOutputs } from "@drover/api";
import Link from "next/link";
import { fmtCost, fmtDuration, fmtTokens, SessionStatus } from "@/components/glyph";
import { useNow } from "@/lib/use-now";

type Session = RouterOutputs["views"]["storyAt"]["sessions"][number];

export function StorySessions({ sessions }: { sessions: Session[] }) {
  const running = sessions.some((x) => x.startedAt && !x.finishedAt);
  const now = useNow(running);
  const duration = (x: Session) => (x.startedAt && !x.finishedAt ? now - new Date(x.startedAt).getTime() : x.durationMs);
  return (
    <section className="mt-4 rounded border bg-white p-4">
      <h2 className="mb-2 font-semibold">Sessions</h2>
      {sessions.length === 0 ? (
        <p className="text-sm text-slate-500">No sessions yet.</p>
      ) : (
        <table className="w-full text-left text-sm" data-testid="story-sessions">
          <thead className="text-xs text-slate-500">
            <tr>
              <th>Session</th>
              <th>Agent</th>
              <th>Status</th>
              <th>Reason</th>
              <th>Duration</th>
              <th>Turns</th>
              <th>Tokens in/out</th>
              <th>Cost</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((x) => (
              <tr key={x.id} className="border-t">
                <td>
                  <Link className="underline" href={`/sessions/${x.id}`}>
                    {x.id}
                  </Link>
                </td>
                <td>{x.agentName}</td>
                <td>
                  <SessionStatus status={x.status} />
                </td>
                <td title={x.message ?? undefined}>{x.reason ?? ""}</td>
                <td data-testid={`session-duration-${x.id}`}>{fmtDuration(duration(x))}</td>
                <td>{x.turns}</td>
                <td>
                  {fmtTokens(x.inputTokens)}/{fmtTokens(x.outputTokens)}
                </td>
                <td>{fmtCost(x.costUsd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
