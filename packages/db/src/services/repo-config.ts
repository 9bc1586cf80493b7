// Finds and parses a repository's config: .drover/project.toml first, then a storkit, story-kit or
// huskies tree (project.toml plus an optional agents.toml holding the roster).
import fs from "node:fs";
import path from "node:path";
import { defaultProjectConfig, mergeRoster, parseAgentsFile, parseProjectConfig, type ParsedConfig } from "@drover/core/config/index";
import { TREE_ROOTS } from "@drover/core/storkit/layout";
import { storedConfigText } from "./stored-config.ts";

export const CONFIG_DIRS = [".drover", ...TREE_ROOTS] as const;

export interface RepoConfig {
  /** Relative path of the file read, or null when the repository has none. */
  file: string | null;
  text: string | null;
  /** Parsed config, or the parse error (a DomainError's message). */
  result: { ok: true; parsed: ParsedConfig } | { ok: false; error: string };
}

export function readRepoConfig(repoPath: string): RepoConfig {
  for (const dir of CONFIG_DIRS) {
    const projectRel = path.join(dir, "project.toml");
    const agentsRel = path.join(dir, "agents.toml");
    const projectAbs = path.join(repoPath, projectRel);
    const agentsAbs = path.join(repoPath, agentsRel);
    const hasProject = fs.existsSync(projectAbs);
    const hasAgents = fs.existsSync(agentsAbs);
    if (!hasProject && !hasAgents) continue;
    const text = hasProject ? fs.readFileSync(projectAbs, "utf8") : "";
    const agentsText = hasAgents ? fs.readFileSync(agentsAbs, "utf8") : undefined;
    const stored = storedConfigText(text, agentsRel, agentsText);
    try {
      const project = parseProjectConfig(text, projectRel);
      const agents = agentsText === undefined ? undefined : parseAgentsFile(agentsText, agentsRel);
      return { file: hasProject ? projectRel : agentsRel, text: stored, result: { ok: true, parsed: mergeRoster(project, agents, agentsRel) } };
    } catch (err) {
      return { file: hasProject ? projectRel : agentsRel, text: stored, result: { ok: false, error: (err as Error).message } };
    }
  }
  return { file: null, text: null, result: { ok: true, parsed: { config: defaultProjectConfig(), warnings: [".drover/project.toml not found: no agents configured yet"] } } };
}
