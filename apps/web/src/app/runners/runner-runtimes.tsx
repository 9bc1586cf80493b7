// One runner's runtimes: CLI version (or missing) and credential status, by source name only.
import type { RunnerCapabilities } from "@drover/core/runtimes/capabilities";

export function RunnerRuntimes({ capabilities }: { capabilities: RunnerCapabilities | null }) {
  if (!capabilities) return <span className="text-slate-400">not reported</span>;
  return (
    <ul className="text-xs" data-testid="runner-runtimes">
      {Object.entries(capabilities).map(([runtime, c]) => (
        <li key={runtime} data-runtime={runtime}>
          <span className="font-mono">{runtime}</span>{" "}
          {c.path ? (
            <>
              <span>{c.version ?? "version unknown"}</span>
              {" · "}
              {c.credentials.length ? (
                <span className="text-green-700">credential: {c.credentials.join(", ")}</span>
              ) : (
                <span className="text-amber-700">no credential</span>
              )}
            </>
          ) : (
            <span className="text-red-700">{c.cli} CLI missing</span>
          )}
        </li>
      ))}
    </ul>
  );
}
