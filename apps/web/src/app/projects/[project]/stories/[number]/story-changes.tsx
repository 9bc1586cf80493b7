"use client";
// The story's change, from the database (the web reads no repository): for a merged story the one
// stored when it merged, else its branch against the base as a runner last captured it, and what
// each session's commits changed. When it was captured, and patches too large to keep, say so.
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
        {d?.capturedAt && (
          <span className="ml-1 text-xs font-normal text-slate-500" data-testid="change-captured-at">
            · captured {new Date(d.capturedAt).toLocaleString()}
            {d.source === "branch" && d.commit ? ` at ${d.commit.slice(0, 10)}` : ""}
          </span>
        )}
      </h2>
      {diff.isLoading && <p className="text-sm text-slate-500">Loading…</p>}
      {d?.truncated && (
        <p className="mb-2 text-sm text-amber-800" data-testid="change-truncated">
          Truncated: some patches were too large to keep; every file&apos;s counts are complete.
        </p>
      )}
      {d?.source === "none" && <p className="text-sm text-slate-500">{d.note}</p>}
      {d?.source === "branch" && d.files.length === 0 && <p className="text-sm text-slate-500">No changes against {d.base}.</p>}
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
      {d && d.sessions.length > 0 && (
        <div className="mt-3 text-sm" data-testid="session-changes">
          <h3 className="font-semibold">By session</h3>
          <ul className="text-slate-600">
            {d.sessions.map((s) => (
              <li key={s.sessionId}>
                Session {s.sessionId}: {s.fileCount} file(s) <span className="text-emerald-700">+{s.additions}</span>{" "}
                <span className="text-red-700">−{s.deletions}</span> ({s.fromCommit.slice(0, 7)}..{s.toCommit.slice(0, 7)})
                {s.truncated && <span className="ml-1 text-xs text-amber-800">patches truncated</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
