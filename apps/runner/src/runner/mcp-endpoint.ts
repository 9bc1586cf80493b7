// The runner's MCP endpoint: Drover's board tools (packages/mcp) on loopback, for the sessions this
// runner supervises. Each session gets a token when its agent starts and loses it when the agent
// exits; sandboxed runs reach the endpoint through their proxy (it is added to their allowlist).
import type { Db } from "@drover/db";
import { type McpHttpServer, SessionTokens, startMcpHttpServer, type SessionScope } from "@drover/mcp";
import type { Logger } from "pino";
import { runGates } from "../automation/gates.ts";
import { gatesFor, gateTimeoutSecs } from "../automation/settings.ts";
import { rosterConfig } from "./roster.ts";

export interface RunnerMcp extends McpHttpServer {
  tokens: SessionTokens;
}

/** The project's gates in the session's worktree, as the pipeline runs them (sandboxed, bounded tails). */
async function gatesForSession(db: Db, scope: SessionScope): Promise<{ passed: boolean; output: string }> {
  if (!scope.worktreePath) return { passed: false, output: "This session has no worktree to run the gates in" };
  const project = await db.project.findUniqueOrThrow({ where: { id: scope.projectId }, select: { name: true, rosterText: true } });
  const cfg = rosterConfig(project);
  const gates = gatesFor(cfg, scope.worktreePath);
  if (!gates.length) return { passed: true, output: "The project has no gates" };
  const report = await runGates({ cwd: scope.worktreePath, gates, timeoutSecs: gateTimeoutSecs(cfg), sandbox: cfg });
  const output = report.gates
    .map((g) => {
      const how = g.timedOut ? `timed out after ${gateTimeoutSecs(cfg)}s` : (g.error ?? `exit ${g.exitCode}`);
      return `$ ${g.command}: ${how} (${g.durationMs} ms)\n${g.outputTail.trimEnd()}`;
    })
    .join("\n\n");
  const skipped = gates.length - report.gates.length;
  return { passed: report.passed, output: skipped ? `${output}\n\n(${skipped} later gate(s) not run after the failure)` : output };
}

export async function startRunnerMcp(db: Db, log: Logger): Promise<RunnerMcp> {
  const tokens = new SessionTokens();
  const server = await startMcpHttpServer({
    db,
    tokens,
    tools: {
      runGates: (scope) => gatesForSession(db, scope),
      onError: (err, tool) => log.error({ err, tool }, "MCP tool failed"),
    },
  });
  log.info({ url: server.url }, "MCP endpoint for agents");
  return { ...server, tokens };
}
