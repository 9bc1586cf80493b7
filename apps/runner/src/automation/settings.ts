// The settings the automation derives from a project's config (read with core's projectConfigFrom):
// pipeline settings with their defaults, the gates of a worktree, the gate timeout.
import fs from "node:fs";
import path from "node:path";
import { effectiveGates } from "@drover/core/config/parse";
import type { AgentConfig, ProjectConfig } from "@drover/core/config/types";
import type { PipelineSettings } from "@drover/core/automation/types";

export function pipelineSettings(c: ProjectConfig): PipelineSettings {
  return {
    defaultQa: c.default_qa,
    maxRetries: c.max_retries,
    maxCoders: c.max_coders,
    defaultCoderModel: c.default_coder_model ?? null,
    dailyBudgetUsd: c.daily_budget_usd ?? null,
  };
}

/** Gates for a worktree: configured ones, else script/test when the worktree has it. */
export function gatesFor(c: ProjectConfig, worktree: string): string[] {
  return effectiveGates(c, fs.existsSync(path.join(worktree, "script", "test")));
}

export const gateTimeoutSecs = (c: ProjectConfig) => c.gate_timeout_secs;

export function agentSpec(agentConfig: unknown): Partial<AgentConfig> {
  return (agentConfig ?? {}) as Partial<AgentConfig>;
}
