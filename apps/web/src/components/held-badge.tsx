// A story a person stopped: held for them until someone resumes, restarts or releases it.
export function HeldBadge({ heldBy, heldAt }: { heldBy: string | null; heldAt?: Date | string | null }) {
  if (!heldBy) return null;
  const since = heldAt ? new Date(heldAt).toLocaleString() : null;
  return (
    <p
      data-testid="held-badge"
      className="mt-1 inline-block rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900"
      title={`Stopped by ${heldBy}${since ? ` at ${since}` : ""}; auto-assign leaves it alone until someone resumes, restarts or releases it`}
    >
      Held by {heldBy}
    </p>
  );
}
