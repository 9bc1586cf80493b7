// A story a person stopped: held for them until someone resumes, restarts or releases it.
export function HeldBadge({ heldBy, heldAt }: { heldBy: string | null; heldAt?: Date | string | null }) {
  if (!heldBy) return null;
  const since = heldAt ? new Date(heldAt).toLocaleString() : null;
  return (
    <p
      data-testid="held-badge"
      className="mt-1 text-xs text-amber-800"
      title={`Stopped by ${heldBy}${since ? ` at ${since}` : ""}; auto-assign leaves it alone until someone resumes, restarts or releases it`}
    >
      ⏸ Held by {heldBy}
    </p>
  );
}
