// A roster that refers to a secret the project does not have is a config error (file, line, key),
// caught when the config is loaded rather than when an agent starts.
import type { RepoConfig } from "@drover/core/config/types";
import { secretRefProblems } from "@drover/core/config/secret-refs";
import { storedConfigFiles } from "@drover/core/config/stored-config";
import type { DbOrTx } from "../services/tx.ts";
import { secretNames } from "./store.ts";

/** `cfg` unchanged, or turned into a config error naming each unknown secret. */
export async function checkSecretRefs(db: DbOrTx, projectId: number | undefined, cfg: RepoConfig): Promise<RepoConfig> {
  if (!cfg.result.ok || cfg.text === null) return cfg;
  const known = projectId === undefined ? new Set<string>() : await secretNames(db, projectId);
  const problems = secretRefProblems(storedConfigFiles(cfg.text, cfg.file ?? "project.toml"), cfg.result.parsed.config.agent, known);
  if (!problems.length) return cfg;
  return { ...cfg, result: { ok: false, error: `${cfg.file ?? "project.toml"}: invalid config:\n  ${problems.join("\n  ")}` } };
}
