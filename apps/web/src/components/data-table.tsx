// The plain list table used by the agent, roster and runners pages: a header row and the caller's rows.
import type { ReactNode } from "react";

export function DataTable({
  headers,
  firstCellPadding = "p-2",
  testId,
  children,
}: {
  headers: string[];
  /** Padding of the first header cell; rows pad their own first cell to match. */
  firstCellPadding?: "p-1" | "p-2";
  testId?: string;
  children: ReactNode;
}) {
  return (
    <table className="w-full rounded border bg-white text-left text-sm" data-testid={testId}>
      <thead className="text-xs text-slate-500">
        <tr>
          {headers.map((h, i) => (
            <th key={h} className={i === 0 ? firstCellPadding : undefined}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
