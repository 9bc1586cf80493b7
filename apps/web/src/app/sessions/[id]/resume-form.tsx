"use client";
// Resume an ended session with extra context: same conversation (default when the runtime
// gave a session id) or a fresh start with the context appended, by the same or another agent.
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { errorMessage } from "@/lib/error-message";
import { useTRPC } from "@/lib/trpc";

export function ResumeForm(props: {
  sessionId: number;
  projectId: number;
  storyNumber: number;
  agentName: string;
  canResume: boolean;
  /** On a blocked story: unblock and resume in one step (refused as a whole). */
  unblock?: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const agents = useQuery(trpc.views.agents.queryOptions({ projectId: props.projectId }));
  const [context, setContext] = useState("");
  const [mode, setMode] = useState<"resume" | "fresh">(props.canResume ? "resume" : "fresh");
  const [agentName, setAgentName] = useState(props.agentName);
  // A resume is a start with resumeOfSessionId, context and fresh (same rules).
  const resume = useMutation(trpc.agents.start.mutationOptions({ onSuccess: (s) => router.push(`/sessions/${s.id}`) }));
  return (
    <form
      data-testid="resume-form"
      className="space-y-2 rounded border bg-white p-3 text-sm"
      onSubmit={(e) => {
        e.preventDefault();
        resume.mutate({
          resumeOfSessionId: props.sessionId,
          projectId: props.projectId,
          storyNumber: props.storyNumber,
          context,
          fresh: mode === "fresh",
          agentName,
          ...(props.unblock ? { unblock: true } : {}),
        });
      }}
    >
      <h2 className="font-semibold">{props.unblock ? "Unblock and resume with context" : "Resume with context"}</h2>
      <textarea
        aria-label="Context"
        required
        rows={3}
        className="w-full rounded border px-2 py-1"
        placeholder="What should the agent know or do now?"
        value={context}
        onChange={(e) => setContext(e.target.value)}
      />
      <div className="flex flex-wrap items-center gap-4">
        <label className="flex items-center gap-1">
          <input type="radio" name="mode" checked={mode === "resume"} disabled={!props.canResume} onChange={() => setMode("resume")} /> Resume the same
          conversation
        </label>
        <label className="flex items-center gap-1">
          <input type="radio" name="mode" checked={mode === "fresh"} onChange={() => setMode("fresh")} /> Start fresh with the context appended
        </label>
        <label className="flex items-center gap-1">
          Agent
          <select aria-label="Resume agent" className="rounded border px-2 py-1" value={agentName} onChange={(e) => setAgentName(e.target.value)}>
            {agents.data
              ?.filter((a) => a.enabled || a.name === props.agentName)
              .map((a) => (
                <option key={a.id} value={a.name}>
                  {a.name}
                  {a.active ? ` (busy on #${a.active.story.number})` : ""}
                </option>
              ))}
            {!agents.data && <option value={props.agentName}>{props.agentName}</option>}
          </select>
        </label>
        <button type="submit" className="rounded bg-slate-900 px-3 py-1 text-white" disabled={resume.isPending}>
          {props.unblock ? "Unblock and resume" : "Resume"}
        </button>
      </div>
      {resume.error && (
        <p role="alert" data-testid="resume-error" className="text-red-700">
          {errorMessage(resume.error)}
        </p>
      )}
    </form>
  );
}
