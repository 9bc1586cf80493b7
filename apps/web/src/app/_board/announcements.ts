// What screen readers hear while a card is dragged: story numbers and titles and column names,
// not dnd-kit's internal ids ("Draggable item 11 was moved over droppable area 8").
import type { Announcements, ScreenReaderInstructions } from "@dnd-kit/core";

export interface AnnouncedCard {
  id: number;
  number: number;
  title: string;
  stage: string;
}

export const boardInstructions: ScreenReaderInstructions = {
  draggable: "Press Enter to open the story. To move it, press Space, move it with the arrow keys, then press Space to drop it or Escape to cancel.",
};

export function boardAnnouncements(cards: AnnouncedCard[], problem: (card: AnnouncedCard, stage: string) => string | null): Announcements {
  const card = (id: unknown) => cards.find((c) => c.id === id);
  const name = (id: unknown) => {
    const c = card(id);
    return c ? `story #${c.number} "${c.title}"` : "the story";
  };
  const place = (id: unknown) => {
    const s = String(id);
    if (s.startsWith("column-")) return { stage: s.slice(7), text: `the ${s.slice(7)} column` };
    const c = card(id);
    return c ? { stage: c.stage, text: `story #${c.number} "${c.title}" in ${c.stage}` } : { stage: "", text: "another story" };
  };
  const refusal = (activeId: unknown, stage: string) => {
    const c = card(activeId);
    const p = c && stage !== c.stage ? problem(c, stage) : null;
    return p ? `; it cannot move there: ${p}` : "";
  };
  return {
    onDragStart: ({ active }) => `Picked up ${name(active.id)}.`,
    onDragOver: ({ active, over }) => {
      if (!over) return `${name(active.id)} is not over a column.`;
      if (over.id === active.id) return undefined; // still where it was picked up: "Picked up …" stands
      const at = place(over.id);
      return `${name(active.id)} is over ${at.text}${refusal(active.id, at.stage)}.`;
    },
    onDragEnd: ({ active, over }) => (over ? `${name(active.id)} was dropped on ${place(over.id).text}.` : `${name(active.id)} was dropped where it was.`),
    onDragCancel: ({ active }) => `Moving ${name(active.id)} was cancelled; it stays in ${card(active.id)?.stage ?? "its column"}.`,
  };
}
