// `drover approve <project> <story>`: a person approves a story waiting for human QA (→ merge).
import type { Command } from "commander";
import { findProject } from "@drover/db/services/index";
import { approveStory } from "@drover/db/services/review";
import { print, storyNumberArg, withDb } from "../with-db.ts";
import { remoteApi, remoteProjectId, withRemote } from "../remote.ts";

export function register(program: Command): void {
  program
    .command("approve")
    .description("approve a story waiting for human review; it moves to merge")
    .argument("<project>", "project name or id")
    .argument("<story>", "story number")
    .option("--json", "print the result as JSON")
    .action((project: string, story: string, opts: { json?: boolean }) => {
      const api = remoteApi(program);
      if (api) {
        // Remotely the server records the token's owner as who approved.
        return withRemote(api, async (api) => {
          const s = await api.review.approve.mutate({ projectId: await remoteProjectId(api, project), storyNumber: storyNumberArg(story) });
          print(!!opts.json, { number: s.number, stage: s.stage }, () => `Story ${s.number} approved; it is in ${s.stage}`);
        });
      }
      return withDb(async (db, actor) => {
        const p = await findProject(db, project);
        const s = await approveStory(db, { projectId: p.id, storyNumber: storyNumberArg(story) }, actor);
        print(!!opts.json, { number: s.number, stage: s.stage }, () => `Story ${s.number} approved; it is in ${s.stage}`);
      });
    });
}
