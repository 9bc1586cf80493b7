// Where a project's repository is on this runner: its own path for a local project; for a remote
// project, this runner's clone of it under its data folder, brought up to the remote before use.
// One fetch per clone at a time in this process (git's own locks cover the rest).
import path from "node:path";
import { readRepoConfig } from "@drover/repo/repo-config";
import type { Db, Project } from "@drover/db";
import { readSecretKey, resolveSecrets } from "@drover/db/secrets/index";
import { reportRemoteConfig } from "@drover/db/services/index";
import { dataDir } from "@drover/db/paths";
import type { Actor } from "@drover/core/audit/actor";
import { revParse } from "../automation/git.ts";
import { deleteRemoteBranch, pushRef, reconcileBranch, remoteContains, remoteGitEnv, syncClone, type BranchReconcile, type PushResult } from "./remote-git.ts";

type RepoProject = Pick<Project, "id" | "repoPath" | "remoteUrl" | "remoteSecret" | "baseBranch">;

/** The folder a runner keeps its clones in: `<data folder>/clones` (the runner's --data-dir, else Drover's). */
export const clonesRoot = (runnerDataDir?: string) => path.join(runnerDataDir ?? dataDir(), "clones");

export class ProjectRepos {
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(
    readonly clonesRoot: string,
    private readonly db: Db,
    private readonly runnerEnv: NodeJS.ProcessEnv = process.env,
  ) {}

  /** The repository a runner works in for this project. */
  path(p: Pick<Project, "id" | "repoPath" | "remoteUrl">): string {
    return p.remoteUrl ? path.join(this.clonesRoot, String(p.id)) : p.repoPath;
  }

  /** Git's environment for this project's remote (its token secret resolved only when it names one). */
  async env(p: RepoProject): Promise<Record<string, string>> {
    if (!p.remoteSecret) return remoteGitEnv(this.runnerEnv);
    const secrets = await resolveSecrets(this.db, readSecretKey({ env: this.runnerEnv }), p.id, [p.remoteSecret]);
    return remoteGitEnv(this.runnerEnv, secrets.get(p.remoteSecret));
  }

  /** Serializes work on one clone inside this process. */
  locked<T>(p: RepoProject, fn: () => Promise<T>): Promise<T> {
    const key = this.path(p);
    const next = (this.locks.get(key) ?? Promise.resolve()).catch(() => {}).then(fn);
    this.locks.set(key, next);
    return next;
  }

  /**
   * Fetches a remote project (a local one is left as it is) and reconciles `branch`, when given,
   * with the remote (see reconcileBranch). Returns the remote base's commit (null: local project,
   * or no base yet) and what happened to the branch.
   */
  async sync(p: RepoProject, branch?: string): Promise<{ base: string | null; branch?: BranchReconcile }> {
    if (!p.remoteUrl) return { base: null };
    const url = p.remoteUrl;
    const env = await this.env(p);
    return this.locked(p, async () => {
      const dir = this.path(p);
      const base = await syncClone(dir, url, p.baseBranch, env);
      return { base, ...(branch ? { branch: await reconcileBranch(dir, branch, env) } : {}) };
    });
  }

  /** Fetches and, when the remote base moved past the commit the roster was read at, reports its roster. */
  async syncConfig(p: RepoProject & Pick<Project, "configCommit">, actor: Actor): Promise<void> {
    if (!p.remoteUrl) return;
    const url = p.remoteUrl;
    const env = await this.env(p);
    const at = await this.locked(p, async () => {
      const dir = this.path(p);
      const base = await syncClone(dir, url, p.baseBranch, env);
      // The main checkout is the remote base at `base` now: read it as a local repository.
      return base && base !== p.configCommit ? { commit: base, read: readRepoConfig(dir) } : null;
    });
    if (at) await reportRemoteConfig(this.db, p.id, at, actor);
  }

  /**
   * Pushes a story branch after a session (never forced) so another host can continue it. Nothing
   * is pushed for a local project, a branch the remote already holds, or one with no commit of its own.
   */
  async pushBranch(p: RepoProject, branch: string): Promise<PushResult | null> {
    if (!p.remoteUrl) return null;
    const env = await this.env(p);
    return this.locked(p, async () => {
      const dir = this.path(p);
      const head = await revParse(dir, `refs/heads/${branch}`);
      if (!head || head === (await revParse(dir, `refs/remotes/origin/${branch}`))) return null;
      if (head === (await revParse(dir, `refs/remotes/origin/${p.baseBranch}`))) return null;
      return pushRef(dir, `refs/heads/${branch}`, branch, env);
    });
  }

  /** What a merge needs of a remote project's remote (null for a local project). */
  remoteSide(p: RepoProject): RemoteSide | null {
    if (!p.remoteUrl) return null;
    const dir = this.path(p);
    const base = p.baseBranch;
    return {
      refresh: async () => {
        await this.sync(p);
      },
      publish: async (commit) => this.locked(p, async () => pushRef(dir, commit, base, await this.env(p))),
      landed: async (commit) => remoteContains(dir, base, commit, await this.env(p)),
      deleteBranch: async (branch) => deleteRemoteBranch(dir, branch, await this.env(p)),
    };
  }
}

/** A merge against a remote: the base moves only by a push the remote accepts, and is checked on the remote. */
export interface RemoteSide {
  /** Fetches: the local base becomes the remote base. */
  refresh(): Promise<void>;
  /** Pushes `commit` to the remote base, never forced. */
  publish(commit: string): Promise<PushResult>;
  /** Whether the remote base (asked of the remote) contains `commit`. */
  landed(commit: string): Promise<boolean>;
  /** Deletes a branch on the remote; returns a note when that failed. */
  deleteBranch(branch: string): Promise<string | null>;
}

/** What a reconcile did, in words for the session log, and for the story's activity when it matters there. */
export function describeReconcile(branch: string, r: BranchReconcile): { status?: string; activity?: { kind: string; message: string; payload: object } } {
  switch (r.state) {
    case "created":
      return { status: `Branch ${branch} taken from the remote` };
    case "fast-forwarded":
      return { status: `Branch ${branch} brought up to date from the remote` };
    case "pushed":
      return { status: `Branch ${branch} had commits only this host held: pushed them to the remote` };
    case "ahead":
      return { status: `Branch ${branch} has commits the remote lacks and could not push them (${r.message}); continuing from this host's branch` };
    case "diverged": {
      const where = r.backupPushed ? "on the remote" : `only on this host (the remote refused it: ${r.message})`;
      const message = `Branch ${branch} moved on both this host and the remote: continuing from the remote's ${r.remote.slice(0, 10)}; this host's ${r.kept} commit(s) not on the remote${r.uncommitted ? " and its uncommitted changes" : ""} are kept on branch ${r.backup} ${where}`;
      return {
        status: message,
        activity: {
          kind: "branch_diverged",
          message,
          payload: { branch, remote: r.remote, backup: r.backup, kept: r.kept, uncommitted: r.uncommitted, backupPushed: r.backupPushed },
        },
      };
    }
    default:
      return {};
  }
}
