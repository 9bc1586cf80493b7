// Adding a private HTTPS remote the way the web does (askToAddRemote) with a real `drover runner`
// and git's smart HTTP backend that answers 401 without the right token: the token given with the
// request is what the runner's check uses; on success it is the project's secret (later fetches
// use it), on failure nothing is stored; it is never in the request row, the runner's log or a message.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@drover/core/audit/actor";
import type { DomainError } from "@drover/core/errors";
import { readSecretKey } from "@drover/db/secrets/index";
import { askToAddRemote } from "@drover/db/services/index";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { ProjectRepos } from "../../src/runner/project-repos.ts";
import { makeRemote, pushFromOther, remoteHeadOf, serveSmartHttp } from "../remote/remote-fixture.ts";
import { type RunnerProcess, spawnRunner } from "../runner/helpers.ts";

const TOKEN = "tok-private-4b1d9e77c2";
const WRONG = "tok-wrong-0aa3f5e91d";
const ROSTER = '[[agent]]\nname = "coder-1"\nstage = "coder"\nruntime = "command"\ncommand = ["true"]\n';
const ana: Actor = { kind: "user", userId: "u-ana", name: "Ana" };

let t: TestDatabase;
let runner: RunnerProcess;
let server: Awaited<ReturnType<typeof serveSmartHttp>>;
let remote: ReturnType<typeof makeRemote>;
// The web and the runners share the secret key, as they must for project secrets.
const runnerEnv = {
  PATH: process.env.PATH,
  HOME: fs.mkdtempSync(path.join(os.tmpdir(), "drover-home-")), // no credential helper, no gitconfig
  DROVER_SECRET_KEY: crypto.randomBytes(32).toString("base64"),
};
const key = readSecretKey({ env: runnerEnv })!;

beforeAll(async () => {
  t = await createTestDatabase();
  remote = makeRemote({ "README.md": "hello\n" }, ROSTER);
  server = await serveSmartHttp(remote, TOKEN);
  runner = await spawnRunner(t.url, ["--poll-ms", "600000"], fs.mkdtempSync(path.join(os.tmpdir(), "drover-add-token-")), { env: runnerEnv });
});
afterAll(async () => {
  server?.stop();
  runner?.proc.kill("SIGTERM");
  await runner?.proc;
  await t?.drop();
});

const add = (input: { name: string; remoteSecret?: string; remoteToken?: string }) =>
  askToAddRemote(t.db, { remoteUrl: server.url, baseBranch: "main", ...input }, ana, { key: () => key, timeoutMs: 60_000 });
const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as DomainError,
  );
const lastRequest = () => t.db.runnerRequest.findFirstOrThrow({ where: { kind: "project.addRemote" }, orderBy: { id: "desc" } });
/** Everything stored that could hold a token: the request rows, projects, secrets' rows, events. */
async function storedText(): Promise<string> {
  const rows = [
    await t.db.runnerRequest.findMany(),
    await t.db.project.findMany(),
    await t.db.projectSecret.findMany(),
    (await t.db.projectEvent.findMany()).map((e) => ({ ...e, id: String(e.id) })),
  ];
  return JSON.stringify(rows);
}

describe("a private HTTPS remote added with its token", () => {
  it("a wrong or missing token is refused with what to fix, and nothing is stored", async () => {
    const wrong = await failure(add({ name: "private-wrong", remoteSecret: "GIT_TOKEN", remoteToken: WRONG }));
    expect(wrong?.code).toBe("BAD_REQUEST");
    expect(wrong?.message).toContain(
      `Cannot reach ${server.url} from ${os.hostname()}: the remote refused the token given for secret GIT_TOKEN; check the token`,
    );
    expect(wrong?.message).not.toContain(WRONG);
    expect((await lastRequest()).status).toBe("failed");

    const none = await failure(add({ name: "private-none" }));
    expect(none?.message).toContain("the remote asks for credentials; give an HTTPS token with the secret name to keep it as");

    const unnamed = await failure(add({ name: "private-unnamed", remoteToken: TOKEN }));
    expect(unnamed?.message).toMatch(/^Give the name of the secret to keep the remote's token as/);

    expect(await t.db.project.count()).toBe(0);
    expect(await t.db.projectSecret.count()).toBe(0);
    expect(server.requests.some((q) => q.authorized)).toBe(false);
    const stored = await storedText();
    expect(stored).not.toContain(WRONG);
    expect(stored).not.toContain(TOKEN);
    expect(stored).not.toContain('"remoteToken"');
    expect(runner.output()).not.toContain(WRONG);
  });

  it("the right token passes the check, becomes the project's secret, and later fetches use it", async () => {
    const head = remoteHeadOf(remote, "main");
    const r = await add({ name: "private-ok", remoteSecret: "GIT_TOKEN", remoteToken: TOKEN });
    expect(r).toMatchObject({ host: os.hostname(), baseCommit: head, rosterFile: ".drover/project.toml", sync: { added: ["coder-1"] } });
    const project = await t.db.project.findUniqueOrThrow({ where: { id: r.projectId } });
    expect(project).toMatchObject({ remoteUrl: server.url, remoteSecret: "GIT_TOKEN", configCommit: head, configError: null });
    expect((await t.db.projectSecret.findMany({ where: { projectId: r.projectId } })).map((s) => [s.name, s.keyId])).toEqual([["GIT_TOKEN", key.id]]);
    expect((await lastRequest()).status).toBe("answered");

    // Another host fetches with the stored secret (and nothing else): it sees what was pushed since.
    const moved = pushFromOther(remote, "main", { "later.txt": "later\n" }, "later");
    const repos = new ProjectRepos(path.join(fs.mkdtempSync(path.join(os.tmpdir(), "drover-host-")), "clones"), t.db, runnerEnv);
    expect(await repos.sync(project)).toEqual({ base: moved });

    const stored = await storedText();
    expect(stored).not.toContain(TOKEN);
    expect(stored).not.toContain('"remoteToken"');
    expect(runner.output()).not.toContain(TOKEN);
  });
});
