// Plain shapes the automation rules decide on. Kept structural (no Prisma types) so packages/core
// stays free of the database; the runner maps rows onto them.
export type StoryStage = "backlog" | "current" | "qa" | "merge" | "done" | "archived";
export type AgentStage = "coder" | "qa" | "mergemaster" | "other";
export type QaMode = "server" | "agent" | "human";
export type StoryKind = "story" | "bug" | "spike" | "refactor";

/** The project keys the pipeline reads, with defaults already applied. */
export interface PipelineSettings {
  defaultQa: QaMode;
  /** 0 means no limit. */
  maxRetries: number;
  maxCoders: number;
  defaultCoderModel?: string | null;
  dailyBudgetUsd?: number | null;
}

export const DEFAULT_PIPELINE_SETTINGS: PipelineSettings = { defaultQa: "server", maxRetries: 2, maxCoders: 3 };

/** Which agent stage works a story in a given story stage (only `other` is free to work anywhere). */
export const WORKER_STAGE: Partial<Record<StoryStage, AgentStage>> = {
  current: "coder",
  qa: "qa",
  merge: "mergemaster",
};
