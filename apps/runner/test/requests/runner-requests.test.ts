// The request/answer channel with a real `drover runner` process: the web side (askRunner) inserts
// a request and waits; the runner that has the repository claims it, does it and answers.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@drover/core/audit/actor";
import { DomainError } from "@drover/core/errors";
import { askRunner } from "@drover/db/services/runner-requests";
import { CHANNELS, notify } from "@drover/db/notify";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { ROSTER } from "@drover/db/testing/project-fixtures";
import { makeRepo } from "@drover/repo/testing/make-repo";
import { type RunnerProcess, spawnRunner, waitFor } from "../runner/helpers.ts";

let t: TestDatabase;
let runner: RunnerProcess;
const ana: Actor = { kind: "user", userId: "u-ana", name: "Ana" };

beforeAll(async () => {
  t = await createTestDatabase();
  // A 10-minute polling fallback: within these tests only NOTIFY can wake the runner for a request.
  runner = await spawnRunner(t.url, ["--poll-ms", "600000"], fs.mkdtempSync(path.join(os.tmpdir(), "drover-requests-")));
});
afterAll(async () => {
  runner?.proc.kill("SIGTERM");
  await runner?.proc;
  await t?.drop();
});

const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as DomainError,
  );

describe("requests a runner answers", () => {
  it("answered: the runner validates and adds the project, as the person who asked, woken by NOTIFY", async () => {
    const repo = makeRepo({ config: ROSTER });
    const r = await askRunner(t.db, { kind: "project.add", payload: { repoPath: repo, name: "via-runner" }, repoPath: repo }, ana, { timeoutMs: 30_000 });
    const project = await t.db.project.findUniqueOrThrow({ where: { id: r.projectId } });
    expect(project).toMatchObject({ name: "via-runner", repoPath: fs.realpathSync(repo) });
    const row = await t.db.runnerRequest.findFirstOrThrow({ where: { kind: "project.add" }, orderBy: { id: "desc" } });
    expect(row).toMatchObject({ status: "answered", runnerId: runner.id });
    const audit = await t.db.projectEvent.findFirstOrThrow({ where: { projectId: r.projectId }, orderBy: { id: "asc" } });
    expect([audit.actorKind, audit.actorName]).toEqual(["user", "Ana"]);

    const offer = await askRunner(t.db, { kind: "roster.offer", payload: { repoPath: repo, runtime: "claude-code" }, repoPath: repo }, ana);
    expect(offer).toEqual({ roster: "exists" });
  });

  it("bad request: the runner's own error comes back with its code and words; a malformed payload never reaches a runner", async () => {
    const e = await failure(askRunner(t.db, { kind: "project.add", payload: { repoPath: "/etc" }, repoPath: "/etc" }, ana));
    expect(e).toBeInstanceOf(DomainError);
    expect([e!.code, e!.message]).toEqual(["BAD_REQUEST", "/etc is not a git repository; run `git init` there or give the repository's root folder"]);

    const before = await t.db.runnerRequest.count();
    const bad = await failure(askRunner(t.db, { kind: "roster.offer", payload: { repoPath: "/x", runtime: "vim" as never }, repoPath: "/x" }, ana));
    expect([bad!.code, bad!.message]).toEqual(["BAD_REQUEST", expect.stringMatching(/^Bad roster\.offer request: runtime /)]);
    expect(await t.db.runnerRequest.count()).toBe(before);

    // A kind this runner does not know (a newer web): answered with a clear error, not left waiting.
    const row = await t.db.runnerRequest.create({ data: { kind: "project.teleport", payload: {}, repoPath: "/", requestedBy: ana as never } });
    await notify(t.db, CHANNELS.runnerRequests, { requestId: row.id });
    const failed = await waitFor(async () => {
      const r = await t.db.runnerRequest.findUniqueOrThrow({ where: { id: row.id } });
      return r.status === "failed" ? r : undefined;
    }, "the unknown kind to be refused");
    expect(failed.error).toMatch(/Unknown request kind "project\.teleport"/);
  });

  it("a repository no live runner has: every runner's reason, without waiting for the timeout", async () => {
    const missing = path.join(os.tmpdir(), `drover-nowhere-${process.pid}`);
    // Told as soon as every live runner declined: long before this timeout (it would say "No runner answered").
    const e = await failure(askRunner(t.db, { kind: "project.add", payload: { repoPath: missing }, repoPath: missing }, ana, { timeoutMs: 45_000 }));
    expect(e!.code).toBe("PRECONDITION_FAILED");
    expect(e!.message).toContain(`No running runner can reach ${missing} (runner ${runner.id} on ${os.hostname()}: ${missing} does not exist on this host)`);
  });

  it("timed out: no runner answers, the web says how to start one, and the request is not done later", async () => {
    runner.proc.kill("SIGTERM");
    await runner.proc;
    const repo = makeRepo({ config: ROSTER });
    const e = await failure(askRunner(t.db, { kind: "project.add", payload: { repoPath: repo, name: "late" }, repoPath: repo }, ana, { timeoutMs: 1_500 }));
    expect([e!.code, e!.message]).toEqual([
      "PRECONDITION_FAILED",
      "No runner answered within 2 s: start one with `pnpm drover runner` (or `drover up`) on the host that has the repository.",
    ]);
    const row = await t.db.runnerRequest.findFirstOrThrow({ where: { kind: "project.add" }, orderBy: { id: "desc" } });
    expect(row).toMatchObject({ status: "failed", runnerId: null });

    // A runner started afterwards leaves it alone: nobody waits for that answer any more.
    runner = await spawnRunner(t.url, ["--poll-ms", "200"], fs.mkdtempSync(path.join(os.tmpdir(), "drover-requests-")));
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await t.db.project.count({ where: { name: "late" } })).toBe(0);
  });
});
