// `drover status [project] [--json]`: projects, their stories and agents, for people and scripts.
import type { Command } from "commander";
import type { Db } from "@drover/db";
import { criteriaOf, findProject, listProjects, listRoster, storyFieldsOf } from "@drover/db/services/index";
import { STAGES } from "@drover/core/pipeline/stages";
import { print, withDb } from "../with-db.ts";
import { remoteApi, remoteProjectId, withRemote } from "../remote.ts";

export async function statusOf(db: Db, ref?: string) {
  const projects = ref ? [await findProject(db, ref)] : await listProjects(db);
  return {
    projects: await Promise.all(
      projects.map(async (p) => {
        const stories = await db.story.findMany({ where: { projectId: p.id }, orderBy: [{ number: "asc" }] });
        const roster = await listRoster(db, p.id);
        return {
          id: p.id,
          name: p.name,
          repoPath: p.repoPath,
          baseBranch: p.baseBranch,
          configError: p.configError,
          stories: stories.map((s) => {
            const { body: _body, ...fields } = storyFieldsOf(s);
            return { ...fields, criteria: criteriaOf(s) };
          }),
          agents: roster.map((a) => ({
            name: a.name,
            stage: a.stage,
            role: a.role,
            runtime: a.runtime,
            model: a.model,
            enabled: a.enabled,
            busy: a.busy ? { storyNumber: a.busy.storyNumber, status: a.busy.status, sessionId: a.busy.sessionId } : null,
          })),
        };
      }),
    ),
  };
}

type Status = Awaited<ReturnType<typeof statusOf>>;

function text(s: Status): string {
  if (!s.projects.length) return "No projects yet: add one with `drover import <repo>` or in the web app.";
  const out: string[] = [];
  for (const p of s.projects) {
    out.push(`${p.name} (#${p.id})  ${p.repoPath}  base ${p.baseBranch}`);
    if (p.configError) out.push(`  CONFIG ERROR: ${p.configError.split("\n").join("\n    ")}`);
    for (const stage of STAGES) {
      const col = p.stories.filter((x) => x.stage === stage);
      if (!col.length) continue;
      out.push(`  ${stage}:`);
      for (const x of col) {
        const done = x.criteria.filter((c) => c.checked).length;
        const flags = [
          x.agent && `agent=${x.agent}`,
          x.qa && `qa=${x.qa}`,
          x.retryCount && `retries=${x.retryCount}`,
          x.blocked && `BLOCKED${x.blockedReason ? `(${x.blockedReason})` : ""}`,
          x.mergeFailure && "merge-failure",
          x.reviewHold && "review-hold",
          x.dependsOn.length && `depends_on=${x.dependsOn.join(",")}`,
        ].filter(Boolean);
        out.push(
          `    ${String(x.number).padStart(3)} ${x.kind.padEnd(8)} ${x.title}  [${done}/${x.criteria.length}]${flags.length ? `  ${flags.join(" ")}` : ""}`,
        );
      }
    }
    out.push("  agents:");
    for (const a of p.agents) {
      const where = a.busy ? `${a.busy.status} on story ${a.busy.storyNumber}` : a.enabled ? "free" : "removed";
      out.push(`    ${a.name.padEnd(16)} ${a.stage.padEnd(11)} ${(a.model ?? "-").padEnd(14)} ${where}`);
    }
  }
  return out.join("\n");
}

export function register(program: Command): void {
  program
    .command("status")
    .description("print projects, their stories (by stage, with front matter and criteria) and agents (who is busy where)")
    .argument("[project]", "project name or id (default: all)")
    .option("--json", "print JSON")
    .action((project: string | undefined, opts: { json?: boolean }) => {
      const api = remoteApi(program);
      if (api) {
        // Over HTTP: projects and their stories by stage (what the board shows).
        return withRemote(api, async (api) => {
          const ids = project ? [await remoteProjectId(api, project)] : (await api.projects.list.query()).map((p) => p.id);
          const boards = await Promise.all(ids.map(async (id) => ({ id, stories: await api.stories.list.query({ projectId: id }) })));
          print(
            !!opts.json,
            { projects: boards },
            () =>
              boards
                .map((b) =>
                  [
                    `project #${b.id}`,
                    ...STAGES.flatMap((st) =>
                      b.stories.filter((x) => x.stage === st).map((x) => `  ${st.padEnd(8)} ${String(x.number).padStart(3)} ${x.title}`),
                    ),
                  ].join("\n"),
                )
                .join("\n") || "No projects.",
          );
        });
      }
      return withDb(async (db) => {
        const s = await statusOf(db, project);
        print(!!opts.json, s, () => text(s));
      });
    });
}
