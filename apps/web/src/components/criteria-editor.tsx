"use client";
// Acceptance criteria as an editable list: add, edit, tick, move up/down, remove.
import type { CriterionInput } from "@drover/core/stories/body-parts";

export function CriteriaEditor({ value, onChange, maxLength }: { value: CriterionInput[]; onChange: (v: CriterionInput[]) => void; maxLength: number }) {
  const set = (i: number, c: Partial<CriterionInput>) => onChange(value.map((x, j) => (j === i ? { ...x, ...c } : x)));
  const swap = (i: number, j: number) => {
    const next = [...value];
    [next[i], next[j]] = [next[j]!, next[i]!];
    onChange(next);
  };
  const small = "rounded border px-1.5 text-xs disabled:opacity-30";
  return (
    <fieldset className="space-y-1 text-sm" data-testid="criteria-editor">
      <legend className="mb-1 font-medium">Acceptance criteria</legend>
      {value.length === 0 && <p className="text-xs text-slate-500">No criteria.</p>}
      <ol className="space-y-1">
        {value.map((c, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are positions in the list; their text is being edited
          <li key={i} className="flex items-center gap-1">
            <input type="checkbox" aria-label={`Criterion ${i + 1} done`} checked={c.checked} onChange={(e) => set(i, { checked: e.target.checked })} />
            <input
              aria-label={`Criterion ${i + 1}`}
              className="min-w-0 flex-1 rounded border px-2 py-0.5"
              maxLength={maxLength}
              value={c.text}
              onChange={(e) => set(i, { text: e.target.value })}
            />
            <button type="button" className={small} aria-label={`Move criterion ${i + 1} up`} disabled={i === 0} onClick={() => swap(i, i - 1)}>
              ↑
            </button>
            <button
              type="button"
              className={small}
              aria-label={`Move criterion ${i + 1} down`}
              disabled={i === value.length - 1}
              onClick={() => swap(i, i + 1)}
            >
              ↓
            </button>
            <button type="button" className={small} aria-label={`Remove criterion ${i + 1}`} onClick={() => onChange(value.filter((_x, j) => j !== i))}>
              ×
            </button>
          </li>
        ))}
      </ol>
      <button type="button" className="rounded border px-2 py-0.5 text-xs" onClick={() => onChange([...value, { text: "", checked: false }])}>
        Add criterion
      </button>
    </fieldset>
  );
}
