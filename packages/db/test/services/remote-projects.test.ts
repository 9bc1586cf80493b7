import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addRemoteProject, reportRemoteConfig } from "../../src/services/index.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { rejects, ROSTER } from "@drover/db/testing/project-fixtures";
import { parseProjectConfig } from "@drover/core/config/index";
import { testActor } from "../../testing/actors.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

const C1 = "a".repeat(40);
const C2 = "b".repeat(40);

describe("remote projects", () => {
  it("adds a project by remote URL and base branch, refusing credentials, bad URLs and bad branches", async () => {
    await rejects(addRemoteProject(t.db, { remoteUrl: "https://u:tok@example.com/a/b.git", baseBranch: "main" }, testActor), "BAD_REQUEST", /no credentials/);
    await rejects(addRemoteProject(t.db, { remoteUrl: "ext::sh", baseBranch: "main" }, testActor), "BAD_REQUEST", /remote helpers/);
    await rejects(addRemoteProject(t.db, { remoteUrl: "git@example.com:a/b.git", baseBranch: "ma in" }, testActor), "BAD_REQUEST", /Base branch/);
    await rejects(
      addRemoteProject(t.db, { remoteUrl: "git@example.com:a/b.git", baseBranch: "main", remoteSecret: "no spaces" }, testActor),
      "BAD_REQUEST",
      /Remote secret/,
    );
    expect(await t.db.project.count()).toBe(0);
    const p = await addRemoteProject(t.db, { remoteUrl: "git@example.com:acme/shop.git", baseBranch: "trunk", remoteSecret: "GIT_TOKEN" }, testActor);
    expect(p).toMatchObject({
      name: "shop",
      remoteUrl: "git@example.com:acme/shop.git",
      repoPath: "git@example.com:acme/shop.git",
      baseBranch: "trunk",
      remoteSecret: "GIT_TOKEN",
      config: null,
    });
    await rejects(
      addRemoteProject(t.db, { remoteUrl: "git@example.com:acme/shop.git", baseBranch: "main", name: "other" }, testActor),
      "CONFLICT",
      /already a project/,
    );
  });

  it("loads a roster a runner reports; a broken one keeps the last good config and its error names the commit", async () => {
    const p = await addRemoteProject(t.db, { remoteUrl: "file:///srv/git/tools.git", baseBranch: "main" }, testActor);
    const good = { file: ".drover/project.toml", text: ROSTER, result: { ok: true as const, parsed: parseProjectConfig(ROSTER, ".drover/project.toml") } };
    const r1 = await reportRemoteConfig(t.db, p.id, { commit: C1, read: good }, testActor);
    expect(r1.ok).toBe(true);
    expect(r1.project.configCommit).toBe(C1);
    expect(await t.db.agent.count({ where: { projectId: p.id, enabled: true } })).toBe(6);
    const bad = { file: ".drover/project.toml", text: "max_coders = [", result: { ok: false as const, error: "not valid TOML at line 1" } };
    const r2 = await reportRemoteConfig(t.db, p.id, { commit: C2, read: bad }, testActor);
    expect(r2.ok).toBe(false);
    expect(r2.project.configError).toBe(`.drover/project.toml at commit ${C2.slice(0, 12)} of main: not valid TOML at line 1`);
    expect(r2.project.rosterText).toBe(ROSTER);
    expect(r2.project.configCommit).toBe(C2);
    await rejects(reportRemoteConfig(t.db, p.id, { commit: "HEAD; rm -rf", read: good }, testActor), "BAD_REQUEST", /not a commit id/);
  });
});
