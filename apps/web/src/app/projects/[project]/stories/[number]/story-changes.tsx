"use client";
// The story's change: for a merged story the one stored when it merged (no git needed), else its
// branch against the base. Patches too large to keep say so.
import { useQuery } from "@tanstack/react-query";
import { PatchView } from "@/components/diff-view";
import { useTRPC } from "@/lib/trpc";

export function StoryChanges({ storyId }: { storyId: number }) {
  const trpc = useTRPC();
  const diff = useQuery(trpc.views.storyDiff.queryOptions({ storyId }));
  const d = diff.data;
  const adds = d?.files.reduce((n, f) => n + f.additions, 0) ?? 0;
  const dels = d?.files.reduce((n, f) => n + f.deletions, 0) ?? 0;
  return (
    <section className="mt-4 rounded border bg-white p-4" data-testid="story-changes">
      <h2 className="mb-2 font-semibold">
        Changes{" "}
        {d?.source === "merged" && (
          <span className="text-sm font-normal text-slate-500" data-testid="merged-change">
            merged into {d.base}
            {d.commit ? ` as ${d.commit.slice(0, 10)}` : ""} · {d.files.length} file(s) <span className="text-emerald-700">+{adds}</span>{" "}
            <span className="text-red-700">−{dels}</span>
          </span>
        )}
        {d?.source === "branch" && (
          <span className="text-sm font-normal text-slate-500">
            {d.branch} vs {d.base}
          </span>
        )}
      </h2>
      {diff.isLoading && <p className="text-sm text-slate-500">Loading…</p>}
      {d?.error && <p className="text-sm text-red-700">{d.error}</p>}
      {d?.truncated && (
        <p className="mb-2 text-sm text-amber-800" data-testid="change-truncated">
          Truncated: some patches were too large to keep; every file&apos;s counts are complete.
        </p>
      )}
      {d?.source === "none" && <p className="text-sm text-slate-500">{d.branch === null ? "No branch yet." : "This story's change was not kept."}</p>}
      {d?.source === "branch" && d.files.length === 0 && !d.error && <p className="text-sm text-slate-500">No changes against {d.base}.</p>}
      {d?.files.map((f) => (
        <details key={f.path} className="mb-2 rounded border">
          <summary className="cursor-pointer px-2 py-1 text-sm">
            <span className="font-mono">{f.path}</span> <span className="text-xs text-slate-500">{f.status}</span>{" "}
            <span className="text-emerald-700">+{f.additions}</span> <span className="text-red-700">−{f.deletions}</span>
            {f.binary && <span className="ml-1 text-xs text-slate-500">binary</span>}
            {f.truncated && <span className="ml-1 text-xs text-amber-800">patch truncated</span>}
          </summary>
          <PatchView patch={f.patch} />
        </details>
      ))}
    </section>
  );
}
