// A remote reached over HTTPS-style smart HTTP with a token kept as a Drover project secret: the
// runner's git sends it as a header from its environment; without it the remote says 401, and the
// token appears in no URL, argument, stored row or message.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { addRemoteProject } from "@drover/db/services/index";
import { readSecretKey, setSecret } from "@drover/db/secrets/index";
import { testActor } from "@drover/db/testing/actors";
import { ProjectRepos } from "../../src/runner/project-repos.ts";
import { makeRemote, remoteHeadOf, serveSmartHttp } from "./remote-fixture.ts";
import { AUTOMATION } from "../../src/automation/actors.ts";

const TOKEN = "tok-7f3c9a1e5d";
let t: TestDatabase;
const stops: Array<() => void> = [];
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  for (const s of stops) s();
  await t?.drop();
});

describe("a remote that needs a token", () => {
  it("is fetched and pushed with the project's secret; refused without it; the token is never stored or shown", async () => {
    const r = makeRemote({ "README.md": "hello\n" }, '[[agent]]\nname = "coder-1"\nstage = "coder"\nruntime = "command"\ncommand = ["true"]\n');
    const server = await serveSmartHttp(r, TOKEN);
    stops.push(server.stop);
    const runnerEnv = {
      PATH: process.env.PATH,
      HOME: fs.mkdtempSync(path.join(os.tmpdir(), "drover-home-")),
      DROVER_SECRET_KEY: crypto.randomBytes(32).toString("base64"),
    };
    const clones = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "drover-host-")), "clones");

    const p = await addRemoteProject(t.db, { remoteUrl: server.url, baseBranch: "main", name: "tokened", remoteSecret: "GIT_TOKEN" }, testActor);
    // The secret is not set yet: the runner says which secret is missing, and git never ran unauthorized.
    const none = new ProjectRepos(clones(), t.db, runnerEnv);
    await expect(none.sync(p)).rejects.toThrow(/secret "GIT_TOKEN"/);

    // Without a token (a project that names no secret), the remote answers 401 and git does not prompt.
    const anon = new ProjectRepos(clones(), t.db, runnerEnv);
    const err = await anon.sync({ ...p, remoteSecret: null }).catch((e: Error) => e.message);
    expect(err).toMatch(/git clone of .* failed/);
    expect(server.requests.some((q) => !q.authorized)).toBe(true);

    await setSecret(t.db, readSecretKey({ env: runnerEnv })!, { projectId: p.id, name: "GIT_TOKEN", value: TOKEN }, testActor);
    const repos = new ProjectRepos(clones(), t.db, runnerEnv);
    await repos.syncConfig(p, AUTOMATION.configSync);
    const loaded = await t.db.project.findUniqueOrThrow({ where: { id: p.id } });
    expect(loaded.configCommit).toBe(remoteHeadOf(r, "main"));
    expect(await t.db.agent.count({ where: { projectId: p.id } })).toBe(1);

    // A push with the token lands.
    const clone = repos.path(p);
    fs.writeFileSync(path.join(clone, "pushed.txt"), "x\n");
    const { execFileSync } = await import("node:child_process");
    execFileSync("git", ["-C", clone, "checkout", "-q", "-b", "drover/1-token"]);
    execFileSync("git", ["-C", clone, "add", "-A"]);
    execFileSync("git", ["-C", clone, "-c", "user.name=T", "-c", "user.email=t@e", "commit", "-q", "-m", "pushed"]);
    expect(await repos.pushBranch(p, "drover/1-token")).toEqual({ ok: true });
    expect(remoteHeadOf(r, "drover/1-token")).toBe(execFileSync("git", ["-C", clone, "rev-parse", "HEAD"], { encoding: "utf8" }).trim());

    // Nowhere at rest: not in the clone's config, not in the project row, not in events.
    expect(fs.readFileSync(path.join(clone, ".git", "config"), "utf8")).not.toContain(TOKEN);
    expect(JSON.stringify(await t.db.project.findUniqueOrThrow({ where: { id: p.id } }))).not.toContain(TOKEN);
    const events = await t.db.projectEvent.findMany({ where: { projectId: p.id } });
    expect(events.map((e) => `${e.message} ${JSON.stringify(e.payload)}`).join("\n")).not.toContain(TOKEN);
    expect(err).not.toContain(TOKEN);
  });
});
