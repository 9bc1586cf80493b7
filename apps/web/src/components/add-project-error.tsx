// Why a project was not added. A roster that does not parse is shown with the line it breaks at,
// and what to do: fix the file and add it again (nothing was created).
import { locateConfigErrors } from "@/lib/config-error";

export function AddError({ message }: { message: string }) {
  const roster = /roster does not parse/.test(message);
  const problems = roster ? locateConfigErrors(message, null) : [];
  return (
    <div role="alert" data-testid="add-project-error" className="space-y-1 text-red-700">
      <p className="whitespace-pre-line">{message}</p>
      {[...new Set(problems.flatMap((p) => (p.line !== undefined ? [p.line] : [])))].map((line) => (
        <p key={line} className="font-semibold" data-testid="add-project-error-line">
          Line {line}
        </p>
      ))}
      {roster && <p className="text-slate-700">Nothing was created. Fix the file in the repository, then press the button again.</p>}
    </div>
  );
}
