// `drover retry <project> <story> [agent]`: a person restarts a stuck story: retries reset, block
// and merge failure cleared, the stage's agent restarted (in merge, Drover merges again).
import type { Command } from "commander";
import { operatorName } from "../remote.ts";
import { findProject } from "@drover/db/services/index";
import { retryStory } from "@drover/db/services/review";
import { print, storyNumberArg, withDb } from "../with-db.ts";

export function register(program: Command): void {
  program
    .command("retry")
    .description("restart a story: reset its retries, clear block and merge failure, restart its agent")
    .argument("<project>", "project name or id")
    .argument("<story>", "story number")
    .argument("[agent]", "agent to restart (default: the last one at the story's stage)")
    .option("--by <name>", "who restarts (shown in the activity feed)", operatorName())
    .option("--json", "print the result as JSON")
    .action((project: string, story: string, agent: string | undefined, opts: { by: string; json?: boolean }) =>
      withDb(async (db) => {
        const p = await findProject(db, project);
        const r = await retryStory(db, { projectId: p.id, storyNumber: storyNumberArg(story), agentName: agent, by: opts.by });
        print(
          !!opts.json,
          { number: r.story.number, stage: r.story.stage, sessionId: r.session?.id ?? null },
          () => `Story ${r.story.number} restarted (retries reset)${r.session ? `; session #${r.session.id} pending` : `; Drover merges it on its next pass`}`,
        );
      }),
    );
}
