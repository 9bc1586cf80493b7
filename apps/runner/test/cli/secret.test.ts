// `drover secret`: the value comes from stdin (never argv), is never printed back, the key file is
// created 0600 in the data folder and said so, and an unknown name is a clear error.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { addProject } from "@drover/db/services/projects";
import { readSecretKey, resolveSecrets } from "@drover/db/secrets/index";
import { repoAccess } from "@drover/repo";
import { gitInit, repoRoot } from "./helpers.ts";
import { testActor } from "@drover/db/testing/actors";

const main = path.join(repoRoot, "apps/runner/src/cli/main.ts");
let t: TestDatabase;
let dataDir: string;

function drover(args: string[], stdin = "") {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const p = spawn(process.execPath, ["--import", "tsx", main, ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: t.url, DROVER_DATA_DIR: dataDir, LOG_LEVEL: "warn" },
    });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (c) => (stdout += c));
    p.stderr.on("data", (c) => (stderr += c));
    p.stdin.end(stdin);
    p.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  t = await createTestDatabase();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-secret-cli-"));
  await addProject(t.db, { repoPath: gitInit(fs.mkdtempSync(path.join(os.tmpdir(), "drover-secret-repo-"))), name: "sec" }, repoAccess, testActor);
});
afterAll(() => t.drop());

describe("drover secret", { timeout: 120_000 }, () => {
  it("sets from stdin, lists names only, removes; the key file is made 0600 and announced", async () => {
    const VALUE = "sk-cli-value-9f8e7d6c5b4a";
    const set = await drover(["secret", "set", "sec", "openai"], `${VALUE}\n`);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('Secret openai set for project sec; refer to it as "secret:openai"');
    const keyFile = path.join(dataDir, "secret.key");
    expect(set.stderr).toContain(`created the secret key ${keyFile} (0600)`);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    // The trailing newline of `echo` is not part of the value.
    const project = await t.db.project.findUniqueOrThrow({ where: { name: "sec" } });
    const key = readSecretKey({ env: {}, dir: dataDir });
    expect((await resolveSecrets(t.db, key, project.id, ["openai"])).get("openai")).toBe(VALUE);
    // The change is the command line's: OS user and host.
    const me = `${os.userInfo().username}@${os.hostname()}`;
    const setEvent = await t.db.projectEvent.findFirstOrThrow({ where: { projectId: project.id, kind: "secret_set" } });
    expect([setEvent.actorKind, setEvent.actorId]).toEqual(["cli", me]);

    const list = await drover(["secret", "list", "sec", "--json"]);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).map((s: { name: string }) => s.name)).toEqual(["openai"]);
    expect(list.stdout + list.stderr + set.stdout + set.stderr).not.toContain(VALUE);

    const rm = await drover(["secret", "rm", "sec", "openai"]);
    expect(rm.code, rm.stderr).toBe(0);
    const again = await drover(["secret", "rm", "sec", "openai"]);
    expect(again.code).toBe(3);
    const removed = await t.db.projectEvent.findFirstOrThrow({ where: { projectId: project.id, kind: "secret_removed" } });
    expect([removed.actorKind, removed.actorId]).toEqual(["cli", me]);
    expect(again.stderr).toContain('has no secret "openai"');
    // A value is never an argument: commander refuses the extra one.
    const argv = await drover(["secret", "set", "sec", "openai", VALUE]);
    expect(argv.code).not.toBe(0);
    expect(await t.db.projectSecret.count()).toBe(0);
  });
});
