// What the project services need read from a repository. @drover/repo's `repoAccess` provides it;
// the data layer only declares the shape, so it runs no git and reads no repository file.
import type { RepoConfig } from "@drover/core/config/index";
import type { TreeFile } from "@drover/core/storkit/tree";

export interface RepoAccess {
  validateRepo(repoPath: string): Promise<{ root: string; headBranch: string | null }>;
  branchExists(repo: string, branch: string): Promise<boolean>;
  readRepoConfig(repoPath: string): RepoConfig;
  readStorkitTree(repoPath: string): { root: string; files: TreeFile[]; skipped: Array<{ file: string; reason: string }> };
}
