"use client";
// Picks stories of a project (a story's depends_on) from a filterable checklist in a Radix
// Popover: focus moves in and back, Escape closes, nothing is typed as numbers.
import * as Popover from "@radix-ui/react-popover";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/lib/trpc";

export function StoryPicker({
  projectId,
  exclude,
  value,
  onChange,
  label,
}: {
  projectId: number;
  /** The story being edited (cannot depend on itself). */
  exclude?: number;
  value: number[];
  onChange: (v: number[]) => void;
  label: string;
}) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [filter, setFilter] = useState("");
  const board = useQuery({ ...trpc.views.board.queryOptions({ projectId, includeArchived: true }), enabled: open || value.length > 0 });
  const stories = (board.data?.stories ?? []).filter((s) => s.number !== exclude).sort((a, b) => a.number - b.number);
  const q = filter.trim().toLowerCase().replace(/^#/, "");
  const shown = stories.filter((s) => !q || String(s.number) === q || s.title.toLowerCase().includes(q));
  const titleOf = (n: number) => stories.find((s) => s.number === n)?.title;
  const toggle = (n: number, on: boolean) => onChange(on ? [...value, n].sort((a, b) => a - b) : value.filter((x) => x !== n));
  return (
    <div className="text-sm">
      <div className="flex flex-wrap items-center gap-1" data-testid="depends-on">
        {value.length === 0 && <span className="text-slate-500">none</span>}
        {value.map((n) => (
          <span key={n} className="flex items-center gap-1 rounded bg-slate-100 px-1.5 text-xs">
            #{n} {titleOf(n) ?? ""}
            <button type="button" aria-label={`Remove dependency on #${n}`} onClick={() => toggle(n, false)}>
              ×
            </button>
          </span>
        ))}
        <Popover.Root open={open} onOpenChange={setOpen}>
          <Popover.Trigger className="rounded border px-2 py-0.5 text-xs">{label}</Popover.Trigger>
          <Popover.Portal>
            <Popover.Content align="start" sideOffset={4} className="z-50 w-80 rounded border bg-white p-2 text-sm shadow-lg">
              <input
                aria-label="Filter stories"
                placeholder="Filter by # or title"
                className="mb-2 w-full rounded border px-2 py-1"
                maxLength={200}
                value={filter}
                onChange={(e) => setFilter(e.target.value)}
              />
              <ul className="max-h-64 overflow-auto" aria-label="Stories">
                {board.isLoading && <li className="text-slate-500">Loading…</li>}
                {!board.isLoading && shown.length === 0 && <li className="text-slate-500">No stories match.</li>}
                {shown.map((s) => (
                  <li key={s.id}>
                    <label className="flex items-start gap-2 py-0.5">
                      <input type="checkbox" checked={value.includes(s.number)} onChange={(e) => toggle(s.number, e.target.checked)} />
                      <span>
                        #{s.number} {s.title} <span className="text-xs text-slate-500">{s.stage}</span>
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
            </Popover.Content>
          </Popover.Portal>
        </Popover.Root>
      </div>
    </div>
  );
}
