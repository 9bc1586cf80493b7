// Prompt templates: `{{name}}` placeholders from a fixed set, checked when config loads so a typo
// fails at `reload`, not when an agent is spawned.

// `story_id` holds the story number: it is storkit's name, and storkit rosters use it, so it stays.
export const TEMPLATE_VARS = ["story_id", "story_name", "agent_name", "worktree_path", "base_branch", "branch"] as const;
export type TemplateVar = (typeof TEMPLATE_VARS)[number];
export type TemplateVars = Record<TemplateVar, string>;

/** The one place template variables get their values (first-turn prompt, command argv). */
export function templateVars(f: {
  storyNumber: number;
  storyTitle: string;
  agentName: string;
  worktreePath: string;
  branch: string;
  baseBranch: string;
}): TemplateVars {
  return {
    story_id: String(f.storyNumber),
    story_name: f.storyTitle,
    agent_name: f.agentName,
    worktree_path: f.worktreePath,
    base_branch: f.baseBranch,
    branch: f.branch,
  };
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

/** The placeholders a template uses that Drover does not know. */
export function unknownTemplateVars(template: string): string[] {
  const known = new Set<string>(TEMPLATE_VARS);
  const bad = new Set<string>();
  for (const m of template.matchAll(PLACEHOLDER)) if (!known.has(m[1]!)) bad.add(m[1]!);
  return [...bad];
}

export function renderTemplate(template: string, vars: Record<string, string>): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => (name in vars ? vars[name]! : whole));
}
