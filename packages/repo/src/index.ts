// @drover/repo: git and repository file I/O. See README.md.
import { readStorkitTree } from "./read-tree.ts";
import { readRepoConfig } from "./repo-config.ts";
import { branchExists, validateRepo } from "./validate-repo.ts";

export * from "./contained-path.ts";
export * from "./repo-file.ts";
export * from "./repo-config.ts";
export * from "./read-tree.ts";
export * from "./validate-repo.ts";
export * from "./branch-diff.ts";
export * from "./write-tree.ts";

/** What the data layer's project services read from a repository; pass this to them (they do no I/O themselves). */
export const repoAccess = { validateRepo, branchExists, readRepoConfig, readStorkitTree };
