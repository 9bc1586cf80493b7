// What an agent is told on its first turn: the rendered template, the story, the activity it
// missed (<recent-events>), and any new message. Resuming sends only what is new.
import { renderTemplate, type TemplateVars } from "./template.ts";

const DEFAULT_PROMPT = [
  "You are {{agent_name}}, working on story {{story_id}}: {{story_name}}.",
  "Your git worktree is {{worktree_path}}, on branch {{branch}} (base branch {{base_branch}}).",
  "Do the work the story asks for, commit it on your branch, and stop when the acceptance criteria hold.",
].join("\n");

export interface RecentEvent {
  at: Date;
  kind: string;
  message: string;
  agentName?: string | null;
}

export function recentEventsBlock(events: RecentEvent[]): string {
  if (!events.length) return "";
  const lines = events.map((e) => `- ${e.at.toISOString()} [${e.kind}]${e.agentName ? ` ${e.agentName}:` : ""} ${e.message}`);
  return `<recent-events>\n${lines.join("\n")}\n</recent-events>`;
}

export interface FirstTurnInput {
  template?: string;
  vars: TemplateVars;
  /** The story as markdown (title and body). */
  story: string;
  recentEvents: RecentEvent[];
  /** A new message from the user or the pipeline (retry output, resume context). */
  context?: string;
  /** Resuming a runtime session: send only what is new. */
  resuming: boolean;
}

export interface FirstTurn {
  /** What to send. */
  prompt: string;
  /** The full prompt plus the new message, for when the session to resume cannot be found. */
  freshPrompt: string;
}

export function buildFirstTurn(input: FirstTurnInput): FirstTurn {
  const events = recentEventsBlock(input.recentEvents);
  const rendered = renderTemplate(input.template ?? DEFAULT_PROMPT, input.vars);
  const full = [events, rendered, `<story>\n${input.story.trim()}\n</story>`, input.context?.trim()].filter(Boolean).join("\n\n");
  if (!input.resuming) return { prompt: full, freshPrompt: full };
  const next = input.context?.trim() || `Continue working on story ${input.vars.story_id}.`;
  return { prompt: [events, next].filter(Boolean).join("\n\n"), freshPrompt: full };
}
