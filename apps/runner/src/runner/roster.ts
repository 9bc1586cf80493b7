// What the runner executes (an agent's command and settings, setup and teardown commands, gates)
// comes from the project's roster text (`rosterText`, the last config text that parsed: a file
// edited into an error keeps the last good roster running), parsed here with core's config parser, never from the
// parsed JSON copies on the project and agent rows: a row is easier to tamper with than the text
// shown on the settings page, and a command must not run as the runner's user just because a row
// says so. (Signing the rows was the alternative; it needs a key every web and runner host shares.)
import type { AgentConfig, ProjectConfig } from "@drover/core/config/types";
import { badRequest } from "@drover/core/errors";
import type { Project } from "@drover/db";
import { parseStoredConfig } from "@drover/core/config/stored-config";

export function rosterConfig(project: Pick<Project, "name" | "rosterText">): ProjectConfig {
  try {
    return parseStoredConfig(project.rosterText).config;
  } catch (e) {
    throw badRequest(
      `The config stored for project ${project.name} does not parse, so none of its commands are run: ${(e as Error).message}. Fix the config file and reload the project.`,
    );
  }
}

/** The roster's entry for `name`; refused when the roster has no such agent. */
export function rosterAgent(project: Pick<Project, "name" | "rosterText">, name: string, config = rosterConfig(project)): AgentConfig {
  const agent = config.agent.find((a) => a.name === name);
  if (!agent)
    throw badRequest(
      `Agent ${name} is not in the roster of project ${project.name}, so nothing is run for it: add it to .drover/project.toml and reload the project.`,
    );
  return agent;
}
