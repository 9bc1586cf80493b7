// QA mode of a story: its own `qa` front matter, else the project's `default_qa`. Spikes are
// exploratory and never merge on their own: they always stop in qa for a person.
import type { QaMode, StoryKind } from "./types.ts";

export function resolveQaMode(story: { qa?: QaMode | null; kind: StoryKind }, defaultQa: QaMode): QaMode {
  if (story.kind === "spike") return "human";
  return story.qa ?? defaultQa;
}
