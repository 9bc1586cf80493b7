// Unified diff hunks with added and removed lines coloured.
export function PatchView({ patch }: { patch: string }) {
  return (
    <pre className="overflow-x-auto bg-white text-xs leading-5">
      {patch.split("\n").map((l, i) => (
        <div
          key={i}
          className={
            l.startsWith("+") ? "bg-emerald-50 text-emerald-900" : l.startsWith("-") ? "bg-red-50 text-red-900" : l.startsWith("@@") ? "text-sky-700" : ""
          }
        >
          {l || " "}
        </div>
      ))}
    </pre>
  );
}
