// `drover start <project> <story> [agent]`: the same start rules as the web app.
import type { Command } from "commander";
import { findProject, startAgent } from "@drover/db/services/index";
import { print, storyNumberArg, withDb } from "../with-db.ts";
import { remoteApi, remoteProjectId, withRemote } from "../remote.ts";

export function register(program: Command): void {
  program
    .command("start")
    .description("start an agent on a story (no agent: a free coder, honouring the story's pin)")
    .argument("<project>", "project name or id")
    .argument("<story>", "story number")
    .argument("[agent]", "agent name from the roster")
    .option("--context <text>", "a message for the agent (appended, or sent alone when resuming)")
    .option("--fresh", "start a new runtime session instead of resuming")
    .option("--json", "print the session as JSON")
    .action((project: string, story: string, agent: string | undefined, opts: { context?: string; fresh?: boolean; json?: boolean }) => {
      const api = remoteApi(program);
      if (api) {
        return withRemote(api, async (api) => {
          const projectId = await remoteProjectId(api, project);
          const s = await api.agents.start.mutate({
            projectId,
            storyNumber: storyNumberArg(story),
            agentName: agent,
            context: opts.context,
            fresh: opts.fresh,
          });
          print(
            !!opts.json,
            { sessionId: s.id, status: s.status, branch: s.branch },
            () => `Started session #${s.id} on story ${storyNumberArg(story)} (${s.status})`,
          );
        });
      }
      return withDb(async (db, actor) => {
        const p = await findProject(db, project);
        const s = await startAgent(
          db,
          {
            projectId: p.id,
            storyNumber: storyNumberArg(story),
            agentName: agent,
            context: opts.context,
            fresh: opts.fresh,
            trigger: "user",
          },
          actor,
        );
        const a = await db.agent.findUniqueOrThrow({ where: { id: s.agentId } });
        print(
          !!opts.json,
          {
            sessionId: s.id,
            agent: a.name,
            status: s.status,
            branch: s.branch,
            worktreePath: s.worktreePath,
            resumeRuntimeSessionId: s.resumeRuntimeSessionId,
          },
          () => `Started ${a.name} on story ${storyNumberArg(story)} (session #${s.id}, ${s.status}${s.resumeRuntimeSessionId ? ", resuming" : ""})`,
        );
      });
    });
}
