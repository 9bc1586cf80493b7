import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addProject, reloadProjectConfig } from "../../src/services/index.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { rejects, ROSTER } from "@drover/db/testing/project-fixtures";
import { makeRepo } from "@drover/repo/testing/make-repo";
import { repoAccess } from "../../../repo/src/index.ts";
import { testActor } from "../../testing/actors.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

describe("addProject", () => {
  it("rejects paths that are not a git repository's root", async () => {
    await rejects(addProject(t.db, { repoPath: "relative/path" }, repoAccess, testActor), "BAD_REQUEST", /must be absolute/);
    await rejects(addProject(t.db, { repoPath: "/no/such/folder" }, repoAccess, testActor), "BAD_REQUEST", /does not exist/);
    const plain = fs.mkdtempSync(path.join(os.tmpdir(), "drover-plain-"));
    await rejects(addProject(t.db, { repoPath: plain }, repoAccess, testActor), "BAD_REQUEST", /not a git repository/);
    const repo = makeRepo();
    fs.mkdirSync(path.join(repo, "sub"));
    await rejects(addProject(t.db, { repoPath: path.join(repo, "sub") }, repoAccess, testActor), "BAD_REQUEST", /inside the git repository/);
    expect(await t.db.project.count()).toBe(0);
  });

  it("defaults the base branch to the repository's HEAD branch and syncs the roster", async () => {
    const repo = makeRepo({ branch: "trunk", config: ROSTER });
    const { project, sync } = await addProject(t.db, { repoPath: repo }, repoAccess, testActor);
    expect(project.name).toBe(path.basename(repo));
    expect(project.baseBranch).toBe("trunk");
    expect(project.configError).toBeNull();
    expect(sync.added).toEqual(["coder-1", "coder-2", "coder-opus", "qa-1", "merger", "helper"]);
    const agents = await t.db.agent.findMany({ where: { projectId: project.id }, orderBy: { id: "asc" } });
    expect(agents.map((a) => [a.name, a.stage, a.model])).toContainEqual(["qa-1", "qa", "sonnet"]);
    await rejects(addProject(t.db, { repoPath: repo, name: "other" }, repoAccess, testActor), "CONFLICT", /already a project/);
    await rejects(addProject(t.db, { repoPath: makeRepo(), name: project.name }, repoAccess, testActor), "CONFLICT", /already exists/);
  });

  it("refuses a repository whose roster does not parse, naming the line of the unclosed bracket; fixed, it is added (issue 18 item 7)", async () => {
    const repo = makeRepo({ config: `max_coders = 2\ngates = ["script/test"\n\n[[agent]]\nname = "a"\nstage = "coder"\n` });
    await rejects(
      addProject(t.db, { repoPath: repo, name: "unclosed" }, repoAccess, testActor),
      "BAD_REQUEST",
      /^The project was not added: its roster does not parse\. \.drover\/project\.toml: not valid TOML at line 2, column 9: "\[" opened here is never closed with "\]" \(the parser noticed at line 4, column 1\)/,
    );
    expect(await t.db.project.count({ where: { name: "unclosed" } })).toBe(0);
    fs.writeFileSync(path.join(repo, ".drover/project.toml"), `max_coders = 2\ngates = ["script/test"]\n\n[[agent]]\nname = "a"\nstage = "coder"\n`);
    const { project, sync } = await addProject(t.db, { repoPath: repo, name: "unclosed" }, repoAccess, testActor);
    expect(project).toMatchObject({ configError: null, rosterText: expect.stringContaining('gates = ["script/test"]') });
    expect(sync.added).toEqual(["a"]);
  });

  it("takes base_branch from config when set", async () => {
    const { project, warnings } = await addProject(t.db, { repoPath: makeRepo({ config: `base_branch = "develop"\n` }) }, repoAccess, testActor);
    expect(project.baseBranch).toBe("develop");
    expect(warnings).toEqual([expect.stringMatching(/^base branch develop does not exist in .* yet/)]);
  });
});

describe("reloadProjectConfig", () => {
  it("adds, updates and disables agents, never deleting them", async () => {
    const repo = makeRepo({ config: `[[agent]]\nname = "a"\nstage = "coder"\n[[agent]]\nname = "b"\nstage = "qa"\n` });
    const { project } = await addProject(t.db, { repoPath: repo, name: "sync" }, repoAccess, testActor);
    fs.writeFileSync(
      path.join(repo, ".drover/project.toml"),
      `[[agent]]\nname = "a"\nstage = "coder"\nmodel = "opus"\n[[agent]]\nname = "c"\nstage = "other"\n`,
    );
    const r = await reloadProjectConfig(t.db, project.id, repoAccess, testActor);
    expect(r.sync).toEqual({ added: ["c"], updated: ["a"], disabled: ["b"] });
    const rows = await t.db.agent.findMany({ where: { projectId: project.id }, orderBy: { name: "asc" } });
    expect(rows.map((a) => [a.name, a.enabled, a.model])).toEqual([
      ["a", true, "opus"],
      ["b", false, null],
      ["c", true, null],
    ]);
    // Reloading an unchanged file changes nothing.
    expect((await reloadProjectConfig(t.db, project.id, repoAccess, testActor)).sync).toEqual({ added: [], updated: [], disabled: [] });
  });

  it("keeps the last good config when the file breaks, and shows the error", async () => {
    const repo = makeRepo({ config: `max_coders = 2\n[[agent]]\nname = "a"\nstage = "coder"\n` });
    const { project } = await addProject(t.db, { repoPath: repo, name: "broken" }, repoAccess, testActor);
    fs.writeFileSync(path.join(repo, ".drover/project.toml"), `max_coders = 2\n[[agent]]\nname = "a"\nstage = "tester"\n`);
    const r = await reloadProjectConfig(t.db, project.id, repoAccess, testActor);
    expect(r.ok).toBe(false);
    const row = await t.db.project.findUniqueOrThrow({ where: { id: project.id } });
    expect(row.configError).toMatch(/\.drover\/project\.toml.*\n.*agent\[0\] \(a\)\.stage: must be one of/);
    expect((row.config as { max_coders: number }).max_coders).toBe(2);
    expect(await t.db.agent.count({ where: { projectId: project.id, enabled: true } })).toBe(1);
    fs.writeFileSync(path.join(repo, ".drover/project.toml"), `max_coders = 1\n[[agent]]\nname = "a"\nstage = "coder"\n`);
    expect((await reloadProjectConfig(t.db, project.id, repoAccess, testActor)).ok).toBe(true);
    const fixed = await t.db.project.findUniqueOrThrow({ where: { id: project.id } });
    expect(fixed.configError).toBeNull();
    expect((fixed.config as { max_coders: number }).max_coders).toBe(1);
  });

  it("reads a storkit tree's project.toml and agents.toml when .drover has none", async () => {
    const repo = makeRepo({ configDir: ".storkit", config: `max_coders = 1\n`, agentsToml: `[[agent]]\nname = "sk"\nstage = "coder"\n` });
    const { project, sync } = await addProject(t.db, { repoPath: repo, name: "storkit" }, repoAccess, testActor);
    expect(sync.added).toEqual(["sk"]);
    expect((project.config as { max_coders: number }).max_coders).toBe(1);
  });
});

describe("reloadProjectConfig under concurrency", () => {
  it("five concurrent reloads after a roster change add each agent once", async () => {
    const { createDb } = await import("../../src/client.ts");
    const repo = makeRepo({ config: `[[agent]]\nname = "a"\nstage = "coder"\n` });
    const { project } = await addProject(t.db, { repoPath: repo, name: "concurrent" }, repoAccess, testActor);
    fs.writeFileSync(path.join(repo, ".drover/project.toml"), `[[agent]]\nname = "a"\nstage = "coder"\n[[agent]]\nname = "b"\nstage = "qa"\n`);
    const clients = Array.from({ length: 5 }, () => createDb(t.url, { max: 1 }));
    try {
      const results = await Promise.all(clients.map((c) => reloadProjectConfig(c, project.id, repoAccess, testActor)));
      expect(results.flatMap((r) => r.sync.added)).toEqual(["b"]);
    } finally {
      await Promise.all(clients.map((c) => c.$disconnect()));
    }
    expect(await t.db.agent.count({ where: { projectId: project.id } })).toBe(2);
  });
});
