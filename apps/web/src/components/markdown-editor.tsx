"use client";
// Markdown with Write / Preview tabs (Radix Tabs: arrow keys move between them, roles announced).
import * as Tabs from "@radix-ui/react-tabs";
import { Markdown } from "./markdown";

export function MarkdownEditor({
  label,
  value,
  onChange,
  maxLength,
  rows = 8,
  placeholder,
  showLabel = false,
}: {
  label: string;
  /** Show the label above the tabs (where no heading names the field already). */
  showLabel?: boolean;
  value: string;
  onChange: (v: string) => void;
  maxLength: number;
  rows?: number;
  placeholder?: string;
}) {
  const tab =
    "rounded-t border border-b-0 px-2 py-0.5 text-xs data-[state=active]:bg-white data-[state=inactive]:bg-slate-100 data-[state=inactive]:text-slate-500";
  return (
    <Tabs.Root defaultValue="write" className="text-sm">
      {showLabel && <span className="mb-1 block">{label}</span>}
      <Tabs.List aria-label={`${label}: write or preview`} className="flex gap-1">
        <Tabs.Trigger value="write" className={tab}>
          Write
        </Tabs.Trigger>
        <Tabs.Trigger value="preview" className={tab}>
          Preview
        </Tabs.Trigger>
      </Tabs.List>
      <Tabs.Content value="write">
        <textarea
          aria-label={label}
          className="w-full rounded-b rounded-tr border px-2 py-1 font-mono text-sm"
          rows={rows}
          maxLength={maxLength}
          placeholder={placeholder}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      </Tabs.Content>
      <Tabs.Content value="preview" data-testid={`${label.toLowerCase()}-preview`} className="min-h-24 rounded-b rounded-tr border bg-white p-2">
        {value.trim() ? <Markdown text={value} /> : <p className="text-slate-500">Nothing to preview.</p>}
      </Tabs.Content>
    </Tabs.Root>
  );
}
