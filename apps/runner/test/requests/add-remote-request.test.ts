// Adding a project by remote URL through the request channel, with a real `drover runner` process
// and a real file:// remote: the runner checks the remote (reachable, base branch, roster at the
// base) before anything is stored, and its answer or its error comes back to the asker.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@drover/core/audit/actor";
import type { DomainError } from "@drover/core/errors";
import { askRunner } from "@drover/db/services/runner-requests";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { ROSTER } from "@drover/db/testing/project-fixtures";
import { type RunnerProcess, spawnRunner } from "../runner/helpers.ts";
import { gitSync, makeRemote, pushFromOther } from "../remote/remote-fixture.ts";

let t: TestDatabase;
let runner: RunnerProcess;
const ana: Actor = { kind: "user", userId: "u-ana", name: "Ana" };

beforeAll(async () => {
  t = await createTestDatabase();
  runner = await spawnRunner(t.url, ["--poll-ms", "600000"], fs.mkdtempSync(path.join(os.tmpdir(), "drover-add-remote-")));
});
afterAll(async () => {
  runner?.proc.kill("SIGTERM");
  await runner?.proc;
  await t?.drop();
});

const ask = (payload: { remoteUrl: string; baseBranch: string; name?: string }) =>
  askRunner(t.db, { kind: "project.addRemote", payload, repoPath: payload.remoteUrl }, ana, { timeoutMs: 60_000 });
const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as DomainError,
  );

describe("project.addRemote served by a runner", () => {
  it("ok: the project is added from the remote, its roster loaded from the base commit, and the answer says which host", async () => {
    const remote = makeRemote(undefined, ROSTER);
    const head = gitSync(remote.bare, "rev-parse", "refs/heads/main");
    const r = await ask({ remoteUrl: remote.url, baseBranch: "main", name: "shop" });
    expect(r).toMatchObject({ host: os.hostname(), baseCommit: head, rosterFile: ".drover/project.toml" });
    expect(r.sync.added.length).toBeGreaterThan(0);
    const project = await t.db.project.findUniqueOrThrow({ where: { id: r.projectId } });
    expect(project).toMatchObject({ name: "shop", remoteUrl: remote.url, baseBranch: "main", configCommit: head, configError: null });
    const agents = await t.db.agent.findMany({ where: { projectId: r.projectId } });
    expect(agents.map((a) => a.name).sort()).toEqual([...r.sync.added].sort());
    const row = await t.db.runnerRequest.findFirstOrThrow({ where: { kind: "project.addRemote" }, orderBy: { id: "desc" } });
    expect(row).toMatchObject({ status: "answered", runnerId: runner.id });
  });

  it("an unreachable URL, a missing branch and a broken roster are refused with what is wrong, and nothing is stored", async () => {
    const before = await t.db.project.count();
    const nowhere = `file://${path.join(os.tmpdir(), `drover-no-remote-${process.pid}.git`)}`;
    const e1 = await failure(ask({ remoteUrl: nowhere, baseBranch: "main" }));
    expect([e1!.code, e1!.message]).toEqual([
      "BAD_REQUEST",
      expect.stringContaining(`Cannot reach ${nowhere} from ${os.hostname()}: git clone of ${nowhere} failed`),
    ]);

    const remote = makeRemote(undefined, ROSTER);
    const e2 = await failure(ask({ remoteUrl: remote.url, baseBranch: "release" }));
    expect([e2!.code, e2!.message]).toEqual(["BAD_REQUEST", `${remote.url} has no branch release; give the base branch stories merge into`]);

    const broken = pushFromOther(remote, "broken", { ".drover/project.toml": "[[agents]\nname = \n" }, "break the roster");
    const e3 = await failure(ask({ remoteUrl: remote.url, baseBranch: "broken" }));
    expect(e3!.code).toBe("BAD_REQUEST");
    expect(e3!.message).toMatch(new RegExp(`^\\.drover/project\\.toml at commit ${broken.slice(0, 12)} of broken: `));
    expect(await t.db.project.count()).toBe(before);
  });

  it("a URL with credentials is refused by the URL rule without echoing them", async () => {
    const e = await failure(ask({ remoteUrl: "https://ana:hunter2secret@git.example.com/shop.git", baseBranch: "main" }));
    expect(e!.code).toBe("BAD_REQUEST");
    expect(e!.message).toContain("put no credentials in the URL");
    expect(e!.message).not.toContain("hunter2secret");
  });
});
