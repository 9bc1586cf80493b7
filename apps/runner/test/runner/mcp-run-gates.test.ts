// run_gates through the runner's MCP endpoint: the project's real gates run in the session's
// worktree (sandboxed, as the pipeline runs them) and the agent reads their real output.
import fs from "node:fs";
import path from "node:path";
import { callTool, connectMcp, resultText } from "@drover/mcp/testing/client";
import { pino } from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createStory } from "@drover/db/services/stories";
import { testActor } from "@drover/db/testing/actors";
import { projectWithRoster, ROSTER } from "@drover/db/testing/project-fixtures";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { type RunnerMcp, startRunnerMcp } from "../../src/runner/mcp-endpoint.ts";

let t: TestDatabase;
let mcp: RunnerMcp;
beforeAll(async () => {
  t = await createTestDatabase();
  mcp = await startRunnerMcp(t.db, pino({ level: "silent" }));
});
afterAll(async () => {
  await mcp?.close();
  await t?.drop();
});

it("run_gates runs the project's gates in the agent's worktree and returns their output; a failing gate is a tool error", async () => {
  const { db } = t;
  const project = await projectWithRoster(db, `gates = ["cat marker.txt", "sh -c 'echo broken gate >&2; exit 3'", "echo never"]\n${ROSTER}`);
  // The worktree's own file, written now (not committed): the gate reads what the agent has there.
  fs.writeFileSync(path.join(project.repoPath, "marker.txt"), "MARKER-FROM-THE-WORKTREE\n");
  const story = await createStory(db, { projectId: project.id, title: "Gates" }, testActor);
  const agent = await db.agent.findFirstOrThrow({ where: { projectId: project.id, name: "coder-1" } });
  const session = await db.agentSession.create({
    data: {
      projectId: project.id,
      storyId: story.id,
      agentId: agent.id,
      stage: "coder",
      runtime: agent.runtime,
      status: "running",
      worktreePath: project.repoPath,
    },
  });
  const client = await connectMcp(mcp.url, mcp.tokens.issue(session.id));

  const r = await callTool(client, "run_gates");
  const text = resultText(r);
  expect(r.isError).toBe(true);
  expect(text).toMatch(
    /^A gate failed\n\n\$ cat marker\.txt: exit 0 \(\d+ ms\)\nMARKER-FROM-THE-WORKTREE\n\n\$ sh -c echo broken gate >&2; exit 3: exit 3 \(\d+ ms\)\nbroken gate\n\n\(1 later gate\(s\) not run after the failure\)$/,
  );

  await db.project.update({ where: { id: project.id }, data: { rosterText: `gates = ["cat marker.txt"]\n${ROSTER}` } });
  const ok = await callTool(client, "run_gates");
  expect(ok.isError).toBeFalsy();
  expect(resultText(ok)).toContain("All gates passed\n\n$ cat marker.txt: exit 0");
});
