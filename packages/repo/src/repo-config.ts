// Finds and parses a repository's config: .drover/project.toml first, then a storkit, story-kit or
// huskies tree (project.toml plus an optional agents.toml holding the roster). Files are read with
// readRepoFile: a link out of the repository, a non-regular file or an oversized one is refused.
import path from "node:path";
import { defaultProjectConfig, mergeRoster, parseAgentsFile, parseProjectConfig, type RepoConfig } from "@drover/core/config/index";
import type { DomainError } from "@drover/core/errors";
import { TREE_ROOTS } from "@drover/core/storkit/layout";
import { readRepoFile } from "./repo-file.ts";
import { storedConfigText } from "@drover/core/config/stored-config";

const CONFIG_DIRS = [".drover", ...TREE_ROOTS] as const;

export function readRepoConfig(repoPath: string): RepoConfig {
  for (const dir of CONFIG_DIRS) {
    const projectRel = path.join(dir, "project.toml");
    const agentsRel = path.join(dir, "agents.toml");
    let text: string | undefined;
    let agentsText: string | undefined;
    try {
      text = readRepoFile(repoPath, projectRel, { what: "roster" });
      agentsText = readRepoFile(repoPath, agentsRel, { what: "roster" });
    } catch (err) {
      // A refused file (a link out of the repository, not a regular file, too big): nothing of it is kept.
      const file = (err as DomainError).details?.file;
      return { file: typeof file === "string" ? file : projectRel, text: null, result: { ok: false, error: (err as Error).message } };
    }
    if (text === undefined && agentsText === undefined) continue;
    const stored = storedConfigText(text ?? "", agentsRel, agentsText);
    const file = text !== undefined ? projectRel : agentsRel;
    try {
      const project = parseProjectConfig(text ?? "", projectRel);
      const agents = agentsText === undefined ? undefined : parseAgentsFile(agentsText, agentsRel);
      return { file, text: stored, result: { ok: true, parsed: mergeRoster(project, agents, agentsRel) } };
    } catch (err) {
      return { file, text: stored, result: { ok: false, error: (err as Error).message } };
    }
  }
  return {
    file: null,
    text: null,
    result: { ok: true, parsed: { config: defaultProjectConfig(), warnings: [".drover/project.toml not found: no agents configured yet"] } },
  };
}
