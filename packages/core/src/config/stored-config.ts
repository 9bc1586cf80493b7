// The roster text stored on a project (`configText`, and `rosterText` for the last one that parsed): project.toml, then agents.toml after a
// marker line when the repository keeps its roster there. The runner parses this text again
// before it runs anything (see apps/runner/src/runner/roster.ts), so it never trusts the parsed
// JSON copies (`project.config`, `agent.config`) that anyone able to write a row could change.
import path from "node:path";
import { defaultProjectConfig, mergeRoster, parseAgentsFile, parseProjectConfig, type ParsedConfig } from "@drover/core/config/index";
import type { ProjectConfig } from "./types.ts";

const marker = (agentsRel: string) => `\n# --- ${agentsRel} ---\n`;
const MARKER = /\n# --- ([^\n]*agents\.toml) ---\n/g;

/** The text stored for a project.toml and an optional agents.toml. */
export function storedConfigText(projectText: string, agentsRel: string, agentsText: string | undefined): string {
  return agentsText === undefined ? projectText : `${projectText}${marker(agentsRel)}${agentsText}`;
}

/** The files stored text was made of: project.toml, then agents.toml when there was one. */
export function storedConfigFiles(stored: string, projectFile = "project.toml"): { file: string; text: string }[] {
  const last = [...stored.matchAll(MARKER)].at(-1); // ours is appended last
  if (!last) return [{ file: projectFile, text: stored }];
  const agentsRel = last[1]!;
  return [
    { file: path.join(path.dirname(agentsRel), "project.toml"), text: stored.slice(0, last.index) },
    { file: agentsRel, text: stored.slice(last.index + last[0].length) },
  ];
}

/** Parses stored text the way it was parsed when it was read from the repository. Throws DomainError BAD_REQUEST. */
export function parseStoredConfig(stored: string | null): ParsedConfig {
  if (stored === null) return { config: defaultProjectConfig(), warnings: [] };
  const [project, agents] = storedConfigFiles(stored);
  if (!agents) return parseProjectConfig(project!.text, "project.toml");
  return mergeRoster(parseProjectConfig(project!.text, project!.file), parseAgentsFile(agents.text, agents.file), agents.file);
}

/**
 * The one reader of a project's parsed config JSON (`project.config`): the parser's defaults under
 * whatever was stored, so a config stored by an older Drover (or none yet) reads with today's
 * defaults. The runner's commands never come from here (see parseStoredConfig): only settings.
 */
export function projectConfigFrom(json: unknown): ProjectConfig {
  return { ...defaultProjectConfig(), ...((json ?? {}) as Partial<ProjectConfig>) };
}
