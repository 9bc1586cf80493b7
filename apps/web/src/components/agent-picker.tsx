"use client";
// Picks an agent of the project's roster (a story's pin): a native select, so it is keyboard- and
// screen-reader-friendly and only names that exist can be chosen.
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";

export function AgentPicker({ projectId, value, onChange, label }: { projectId: number; value: string; onChange: (v: string) => void; label: string }) {
  const trpc = useTRPC();
  const agents = useQuery(trpc.views.agents.queryOptions({ projectId }));
  const known = agents.data?.some((a) => a.name === value) ?? true;
  return (
    <select aria-label={label} className="w-full rounded border px-2 py-1" value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">any agent</option>
      {/* A pin naming an agent no longer in the roster stays visible until changed. */}
      {value && !known && <option value={value}>{value} (not in the roster)</option>}
      {agents.data?.map((a) => (
        <option key={a.id} value={a.name}>
          {a.name} ({a.stage})
        </option>
      ))}
    </select>
  );
}
