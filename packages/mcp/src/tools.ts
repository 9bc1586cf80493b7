// Drover's board tools, as one session's agent sees them. Each tool is a thin call into the
// services (@drover/db/services): the rules, numbering, events and board notifications live there.
// Writes are the agent's own (Actor kind "agent"); reads reach any story of the session's project.
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { DomainError, precondition } from "@drover/core/errors";
import { STAGES } from "@drover/core/pipeline/stages";
import { STORY_KINDS } from "@drover/core/stories/file";
import type { Db } from "@drover/db";
import { blockStory, createStory, criteriaOf, getStory, listStories, tickCriterion } from "@drover/db/services/stories";
import { STORY_LIMITS } from "@drover/db/services/story-input";
import { addComment, askHuman, TALK_LIMITS } from "@drover/db/services/story-talk";
import { agentActor, assertProject, type SessionScope } from "./scope.ts";

export interface ToolDeps {
  db: Db;
  /** Runs the project's gates in the session's worktree; the bounded output. Absent: run_gates says it cannot. */
  runGates?: (scope: SessionScope) => Promise<{ passed: boolean; output: string }>;
  /** An unexpected failure (not the agent's input): logged by the host, the agent gets a short message. */
  onError?: (err: unknown, tool: string) => void;
}

/** The tool names, for the runtimes' allow lists (`mcp__drover__<name>`). */
export const TOOL_NAMES = [
  "get_story",
  "list_stories",
  "get_story_todos",
  "check_criterion",
  "create_story",
  "add_comment",
  "run_gates",
  "report_merge_failure",
  "report_blocked",
  "ask_human",
] as const;

const text = (t: string, isError = false): CallToolResult => ({ content: [{ type: "text", text: t }], ...(isError ? { isError: true } : {}) });
const projectArg = z.string().max(200).optional().describe("Project name; only this session's own project is allowed (default)");
const storyArg = z.number().int().min(1).optional().describe("Story number; default: the story this session works on");
const reason = (what: string) =>
  z
    .string()
    .trim()
    .min(1, { error: `${what} must not be empty` })
    .max(4000, { error: `${what}: at most 4000 characters` });

export function registerDroverTools(server: McpServer, scope: SessionScope, deps: ToolDeps): void {
  const { db } = deps;
  const actor = agentActor(scope);
  const own = { projectId: scope.projectId, storyNumber: scope.storyNumber };
  // Domain errors say what to fix and reach the agent as they are; anything else is logged, not leaked.
  const guarded =
    <A>(name: string, fn: (args: A) => Promise<CallToolResult>) =>
    async (args: A): Promise<CallToolResult> => {
      try {
        return await fn(args);
      } catch (e) {
        if (e instanceof DomainError) return text(e.message, true);
        deps.onError?.(e, name);
        return text(`${name} failed inside Drover; try again, or report_blocked if it keeps failing`, true);
      }
    };

  server.registerTool(
    "get_story",
    {
      description: "The story (title, stage, markdown body with its acceptance criteria). Default: this session's story.",
      inputSchema: { story_number: storyArg, project: projectArg },
    },
    guarded("get_story", async ({ story_number, project }) => {
      assertProject(scope, project);
      const s = await getStory(db, scope.projectId, story_number ?? scope.storyNumber);
      const flags = [s.blocked && `blocked${s.blockedReason ? `: ${s.blockedReason}` : ""}`, s.dependsOn.length && `depends on ${s.dependsOn.join(", ")}`]
        .filter(Boolean)
        .join("; ");
      return text(`Story ${s.number} (${s.kind}, ${s.stage}${flags ? `; ${flags}` : ""}): ${s.title}\n\n${s.body}`);
    }),
  );

  server.registerTool(
    "list_stories",
    { description: "The project's stories, one per line; optionally only one stage.", inputSchema: { stage: z.enum(STAGES).optional(), project: projectArg } },
    guarded("list_stories", async ({ stage, project }) => {
      assertProject(scope, project);
      const rows = await listStories(db, scope.projectId, stage);
      if (!rows.length) return text(stage ? `No stories in ${stage}` : "No stories");
      return text(rows.map((s) => `#${s.number} [${s.stage}]${s.blocked ? " (blocked)" : ""} ${s.title}`).join("\n"));
    }),
  );

  server.registerTool(
    "get_story_todos",
    {
      description: "The story's acceptance criteria with their index (for check_criterion) and whether each is ticked.",
      inputSchema: { story_number: storyArg },
    },
    guarded("get_story_todos", async ({ story_number }) => {
      const c = criteriaOf(await getStory(db, scope.projectId, story_number ?? scope.storyNumber));
      if (!c.length) return text("The story has no acceptance criteria");
      return text(c.map((x, i) => `${i}. [${x.checked ? "x" : " "}] ${x.text}`).join("\n"));
    }),
  );

  server.registerTool(
    "check_criterion",
    {
      description: "Ticks acceptance criterion `index` (from get_story_todos, numbered from 0) of this session's story; it shows ticked on the board at once.",
      inputSchema: { index: z.number().int().min(0).describe("0-based index from get_story_todos"), checked: z.boolean().default(true) },
    },
    guarded("check_criterion", async ({ index, checked }) => {
      const s = await tickCriterion(db, { ...own, index, checked }, actor);
      const c = criteriaOf(s)[index]!;
      return text(`${checked ? "Checked" : "Unchecked"} criterion ${index} of story ${s.number}: ${c.text}`);
    }),
  );

  server.registerTool(
    "create_story",
    {
      description: "Files a new story in the backlog of this project (numbered and formatted like one made on the board).",
      inputSchema: {
        title: z.string().max(STORY_LIMITS.title),
        user_story: z.string().max(STORY_LIMITS.description).default("").describe("The description: who wants what and why"),
        acceptance_criteria: z.array(z.string().max(STORY_LIMITS.criterion)).max(STORY_LIMITS.criteria).default([]),
        depends_on: z.array(z.number().int().min(1)).max(100).default([]).describe("Numbers of stories that must be done first"),
        kind: z.enum(STORY_KINDS).default("story"),
      },
    },
    guarded("create_story", async (a) => {
      const s = await createStory(
        db,
        {
          projectId: scope.projectId,
          title: a.title,
          kind: a.kind,
          description: a.user_story,
          criteria: a.acceptance_criteria.map((t) => ({ text: t, checked: false })),
          dependsOn: a.depends_on,
        },
        actor,
      );
      return text(`Created story ${s.number} in backlog: ${s.title}`);
    }),
  );

  server.registerTool(
    "add_comment",
    {
      description: "Adds a comment to this session's story (shown on its page and in the activity feed, signed by this agent).",
      inputSchema: { text: z.string().max(TALK_LIMITS.comment, { error: `Comment is too long: at most ${TALK_LIMITS.comment} characters` }) },
    },
    guarded("add_comment", async (a) => {
      await addComment(db, { ...own, text: a.text, sessionId: scope.sessionId }, actor);
      return text(`Comment added to story ${scope.storyNumber}`);
    }),
  );

  server.registerTool(
    "run_gates",
    {
      description:
        "Runs the project's acceptance gates in this session's worktree and returns their output (the tail of each); check yourself before you finish.",
    },
    guarded("run_gates", async () => {
      if (!deps.runGates) throw precondition("run_gates is not available on this runner");
      const r = await deps.runGates(scope);
      return text(`${r.passed ? "All gates passed" : "A gate failed"}\n\n${r.output}`, !r.passed);
    }),
  );

  server.registerTool(
    "report_merge_failure",
    {
      description: "For the mergemaster: the merge cannot be completed; blocks the story with the reason for a person. Finish your turn after it.",
      inputSchema: { reason: reason("Reason") },
    },
    guarded("report_merge_failure", async (a) => {
      if (scope.stage !== "mergemaster")
        throw precondition(`report_merge_failure is for the mergemaster; this session is a ${scope.stage} session (use report_blocked)`);
      await blockStory(db, { ...own, reason: `Merge failed: ${a.reason}`, mergeFailure: a.reason, keepSessionId: scope.sessionId }, actor);
      return text(`Story ${scope.storyNumber} is blocked with the merge failure. Finish your turn now.`);
    }),
  );

  server.registerTool(
    "report_blocked",
    {
      description: "You cannot go on: blocks this session's story with the reason for a person. Finish your turn after it.",
      inputSchema: { reason: reason("Reason") },
    },
    guarded("report_blocked", async (a) => {
      await blockStory(db, { ...own, reason: a.reason, keepSessionId: scope.sessionId }, actor);
      return text(`Story ${scope.storyNumber} is blocked: ${a.reason}. Finish your turn now.`);
    }),
  );

  server.registerTool(
    "ask_human",
    {
      description:
        "Asks a person a question you need answered to go on. The story shows it as needing input; finish your turn right after. " +
        "You are resumed with the answer.",
      inputSchema: { question: z.string().max(TALK_LIMITS.question, { error: `Question is too long: at most ${TALK_LIMITS.question} characters` }) },
    },
    guarded("ask_human", async (a) => {
      await askHuman(db, { ...own, question: a.question, sessionId: scope.sessionId }, actor);
      return text("Your question is on the board. Finish your turn now without further work; you will be resumed with the answer.");
    }),
  );
}
