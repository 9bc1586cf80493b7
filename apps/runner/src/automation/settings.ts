// The project config keys the pipeline reads, with defaults (config is the normalized JSON core's
// config parser stored on the project; an old or partial one falls back to defaults).
import fs from "node:fs";
import path from "node:path";
import { defaultProjectConfig, effectiveGates } from "@drover/core/config/parse";
import type { AgentConfig, ProjectConfig } from "@drover/core/config/types";
import type { PipelineSettings } from "@drover/core/automation/types";
import { DEFAULT_GATE_TIMEOUT_SECS } from "./gates.ts";

export function projectConfig(config: unknown): ProjectConfig {
  return { ...defaultProjectConfig(), ...((config ?? {}) as Partial<ProjectConfig>) };
}

export function pipelineSettings(c: ProjectConfig): PipelineSettings {
  return {
    defaultQa: c.default_qa ?? "server",
    maxRetries: c.max_retries ?? 2,
    maxCoders: c.max_coders ?? 3,
    defaultCoderModel: c.default_coder_model ?? null,
    dailyBudgetUsd: c.daily_budget_usd ?? null,
  };
}

/** Gates for a worktree: configured ones, else script/test when the worktree has it. */
export function gatesFor(c: ProjectConfig, worktree: string): string[] {
  return effectiveGates(c, fs.existsSync(path.join(worktree, "script", "test")));
}

export const gateTimeoutSecs = (c: ProjectConfig) => c.gate_timeout_secs ?? DEFAULT_GATE_TIMEOUT_SECS;

export function agentSpec(agentConfig: unknown): Partial<AgentConfig> {
  return (agentConfig ?? {}) as Partial<AgentConfig>;
}
