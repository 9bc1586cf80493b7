// `drover reject <project> <story> <notes>`: a person rejects a story waiting for human QA; the
// notes go into the story and its coder restarts with them.
import type { Command } from "commander";
import { operatorName } from "../remote.ts";
import { findProject } from "@drover/db/services/index";
import { rejectStory } from "@drover/db/services/review";
import { print, storyNumberArg, withDb } from "../with-db.ts";

export function register(program: Command): void {
  program
    .command("reject")
    .description("reject a story waiting for human review, with notes; it goes back to current and its coder restarts")
    .argument("<project>", "project name or id")
    .argument("<story>", "story number")
    .argument("<notes>", "what to fix")
    .option("--by <name>", "who rejects (shown in the activity feed)", operatorName())
    .option("--json", "print the result as JSON")
    .action((project: string, story: string, notes: string, opts: { by: string; json?: boolean }) =>
      withDb(async (db) => {
        const p = await findProject(db, project);
        const r = await rejectStory(db, { projectId: p.id, storyNumber: storyNumberArg(story), notes, by: opts.by });
        print(
          !!opts.json,
          { number: r.story.number, stage: r.story.stage, sessionId: r.session?.id ?? null, startError: r.startError ?? null },
          () =>
            `Story ${r.story.number} rejected and back in ${r.story.stage}; ${r.session ? `coder restarted (session #${r.session.id})` : `coder not started now (${r.startError}); auto-assign will restart it`}`,
        );
      }),
    );
}
