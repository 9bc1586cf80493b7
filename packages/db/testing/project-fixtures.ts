// Fixtures for tests of services and the API: a roster with every stage, a project added from a
// real repository with it, and the check that a call fails with a given DomainError.
import path from "node:path";
import { repoAccess } from "@drover/repo";
import { makeRepo } from "@drover/repo/testing/make-repo";
import type { Db } from "../src/client.ts";
import { addProject } from "../src/services/projects.ts";
import { testActor } from "./actors.ts";

export const ROSTER = `
max_coders = 3

[[agent]]
name = "coder-1"
stage = "coder"
model = "sonnet"
prompt = "You are {{agent_name}} on story {{story_id}} ({{story_name}}) in {{worktree_path}} on {{branch}} from {{base_branch}}."

[[agent]]
name = "coder-2"
stage = "coder"
model = "sonnet"

[[agent]]
name = "coder-opus"
stage = "coder"
model = "opus"

[[agent]]
name = "qa-1"
stage = "qa"
model = "sonnet"

[[agent]]
name = "merger"
stage = "mergemaster"

[[agent]]
name = "helper"
stage = "other"
`;

export async function projectWithRoster(db: Db, config = ROSTER) {
  const repo = makeRepo({ config });
  const { project } = await addProject(db, { repoPath: repo, name: `p-${path.basename(repo)}` }, repoAccess, testActor);
  return project;
}

/** Expects a promise to reject with a DomainError of this code whose message matches. */
export async function rejects(p: Promise<unknown>, code: string, msg: RegExp) {
  try {
    await p;
  } catch (e) {
    const err = e as { name?: string; code?: string; message: string };
    if (err.name !== "DomainError") throw e;
    if (err.code !== code || !msg.test(err.message)) throw new Error(`expected ${code} ${msg}, got ${err.code}: ${err.message}`);
    return;
  }
  throw new Error(`expected rejection ${code} ${msg}`);
}
