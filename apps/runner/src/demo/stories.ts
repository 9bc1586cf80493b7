// The demo project's stories: a handful across the stages, in storkit's story format.
export interface DemoStory {
  kind: "story" | "bug" | "spike" | "refactor";
  title: string;
  stage: "backlog" | "current" | "qa" | "done";
  body: string;
  qa?: "server" | "agent" | "human";
  /** Work a coder already did: files committed on the story's branch, so Approve has something to merge. */
  work?: { agent: string; files: Record<string, string>; message: string };
}

const story = (n: string, title: string, want: string, criteria: string[], outOfScope: string[] = []) =>
  [
    `# ${n}: ${title}`,
    "",
    "## User Story",
    "",
    want,
    "",
    "## Acceptance Criteria",
    "",
    ...criteria.map((c) => `- [ ] ${c}`),
    "",
    "## Out of Scope",
    "",
    ...(outOfScope.length ? outOfScope.map((o) => `- ${o}`) : ["- Nothing noted."]),
    "",
  ].join("\n");

export const DEMO_STORIES: DemoStory[] = [
  {
    kind: "story",
    title: "Project skeleton",
    stage: "done",
    body: story("Story 1", "Project skeleton", "As a developer, I want a repository with a README so that the team has a place to start.", [
      "README describes the project",
    ]).replace("- [ ]", "- [x]"),
  },
  {
    kind: "story",
    title: "Greet users by name",
    stage: "current",
    body: story("Story 2", "Greet users by name", "As a visitor, I want to be greeted by name so that the site feels personal.", [
      "The greeting uses the visitor's name",
      "Without a name, the greeting says hello to everyone",
    ]),
  },
  {
    kind: "bug",
    title: "Welcome banner has a typo",
    stage: "qa",
    qa: "human",
    body: story("Bug 3", "Welcome banner has a typo", "As a visitor, I want the banner spelled right so that I trust the site.", [
      "The banner reads 'Welcome'",
    ]),
    work: {
      agent: "coder-1",
      files: {
        "site/banner.txt": "Welcome to the demo site!\n",
        "features/story-3.md": "# Story 3\n\nFixed the banner's typo: it reads 'Welcome'.\n",
      },
      message: "story 3: fix the banner's typo",
    },
  },
  {
    kind: "story",
    title: "Dark mode toggle",
    stage: "backlog",
    body: story(
      "Story 4",
      "Dark mode toggle",
      "As a night owl, I want a dark theme so that the page is easy on my eyes.",
      ["A toggle switches between light and dark", "The choice is remembered"],
      ["System theme detection"],
    ),
  },
  {
    kind: "spike",
    title: "Evaluate caching options",
    stage: "backlog",
    body: story("Spike 5", "Evaluate caching options", "As a maintainer, I want to know our caching options so that we can choose one.", [
      "Two options compared with their trade-offs",
    ]),
  },
];

/** A body without the "# Story N: Title" line: the number is only known once the story exists. */
const unheaded = (title: string, want: string, criteria: string[]) => story("Story", title, want, criteria).split("\n").slice(2).join("\n");

/** Stories the demo autopilot writes when the backlog runs out (each is promoted straight away). */
export const DEMO_IDEAS: DemoStory[] = [
  {
    kind: "story",
    title: "Footer with contact link",
    stage: "backlog",
    body: unheaded("Footer with contact link", "As a visitor, I want a contact link in the footer so that I can reach the team.", [
      "The footer links to the contact page",
    ]),
  },
  {
    kind: "bug",
    title: "Page title missing on the about page",
    stage: "backlog",
    body: unheaded("Page title missing on the about page", "As a visitor, I want each page titled so that my tabs make sense.", ["The about page has a title"]),
  },
  {
    kind: "refactor",
    title: "Extract the greeting into its own module",
    stage: "backlog",
    body: unheaded("Extract the greeting into its own module", "As a maintainer, I want the greeting in one module so that it is easy to test.", [
      "The greeting lives in one module with a test",
    ]),
  },
];
