// Project secrets: encrypted at rest, names only on the way out, a wrong key named as such, and a
// roster referring to a secret the project lacks refused with file, line and key.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addProject, reloadProjectConfig } from "../../src/services/index.ts";
import { describeSecretKey, ensureSecretKey, listSecrets, readSecretKey, removeSecret, resolveSecrets, setSecret } from "../../src/secrets/index.ts";
import { testActor } from "../../testing/actors.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { rejects } from "@drover/db/testing/project-fixtures";
import { makeRepo } from "@drover/repo/testing/make-repo";
import { repoAccess } from "../../../repo/src/index.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

const tmpDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "drover-secret-key-"));
const VALUE = "sk-live-0123456789abcdef";

describe("secret key", () => {
  it("generates a 0600 key file once, reads DROVER_SECRET_KEY first, and refuses bad keys with what to do", () => {
    const dir = tmpDir();
    expect(readSecretKey({ env: {}, dir })).toBeUndefined();
    expect(describeSecretKey({ env: {}, dir })).toBe(`no secret key yet: the first stored secret creates ${dir}/secret.key (0600), or set DROVER_SECRET_KEY`);
    const made = ensureSecretKey({ env: {}, dir });
    expect(describeSecretKey({ env: {}, dir })).toContain(`key from key file ${dir}/secret.key (fingerprint ${made.id})`);
    expect(made.created).toBe(true);
    expect(fs.statSync(path.join(dir, "secret.key")).mode & 0o777).toBe(0o600);
    const again = ensureSecretKey({ env: {}, dir });
    expect(again).toMatchObject({ created: false, id: made.id });
    const fromEnv = readSecretKey({ env: { DROVER_SECRET_KEY: "ab".repeat(32) }, dir });
    expect(fromEnv?.source).toBe("DROVER_SECRET_KEY");
    expect(fromEnv?.id).not.toBe(made.id);
    expect(() => readSecretKey({ env: { DROVER_SECRET_KEY: "short" }, dir })).toThrow(/32-byte key.*openssl rand -base64 32/);
    fs.chmodSync(path.join(dir, "secret.key"), 0o644);
    expect(() => readSecretKey({ env: {}, dir })).toThrow(/chmod 600/);
  });
});

describe("secret store", () => {
  it("stores values encrypted, lists names only, resolves for the runner, refuses a wrong key or a moved value", async () => {
    const { project } = await addProject(t.db, { repoPath: makeRepo(), name: "secrets-a" }, repoAccess, testActor);
    const key = ensureSecretKey({ env: {}, dir: tmpDir() });
    await setSecret(t.db, key, { projectId: project.id, name: "openai", value: VALUE }, testActor);
    await setSecret(t.db, key, { projectId: project.id, name: "other", value: "second-value" }, testActor);
    const listed = await listSecrets(t.db, project.id);
    expect(listed.map((s) => s.name)).toEqual(["openai", "other"]);
    expect(JSON.stringify(listed)).not.toContain(VALUE);
    const row = await t.db.projectSecret.findFirstOrThrow({ where: { projectId: project.id, name: "openai" } });
    expect(row.encrypted).not.toContain(VALUE);
    expect(row.encrypted).not.toContain(Buffer.from(VALUE).toString("base64").slice(0, 12));
    expect(Object.fromEntries(await resolveSecrets(t.db, key, project.id, ["openai"]))).toEqual({ openai: VALUE });

    const other = ensureSecretKey({ env: {}, dir: tmpDir() });
    await rejects(resolveSecrets(t.db, other, project.id, ["openai"]), "BAD_REQUEST", new RegExp(`another key \\(fingerprint ${key.id}`));
    await rejects(resolveSecrets(t.db, undefined, project.id, ["openai"]), "BAD_REQUEST", /no secret key: set DROVER_SECRET_KEY/);
    await rejects(resolveSecrets(t.db, key, project.id, ["nope"]), "BAD_REQUEST", /secret "nope".*drover secret set/);
    // A value copied onto another secret's row does not decrypt (project and name are authenticated).
    await t.db.projectSecret.updateMany({ where: { projectId: project.id, name: "other" }, data: { encrypted: row.encrypted } });
    await rejects(resolveSecrets(t.db, key, project.id, ["other"]), "BAD_REQUEST", /does not decrypt/);

    await rejects(setSecret(t.db, key, { projectId: project.id, name: "bad name", value: "x" }, testActor), "BAD_REQUEST", /Secret name/);
    await rejects(setSecret(t.db, key, { projectId: project.id, name: "empty", value: "" }, testActor), "BAD_REQUEST", /must not be empty/);
    await removeSecret(t.db, { projectId: project.id, name: "other" }, testActor);
    await rejects(removeSecret(t.db, { projectId: project.id, name: "other" }, testActor), "NOT_FOUND", /no secret "other"/);
    const events = await t.db.projectEvent.findMany({ where: { projectId: project.id } });
    expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(["secret_set", "secret_removed"]));
    expect(events.map((e) => `${e.message} ${JSON.stringify(e.payload)}`).join("\n")).not.toContain(VALUE);
  });

  it("a roster referring to an unknown secret is a config error with file, line and key; it loads once the secret is set", async () => {
    const roster = `[[agent]]\nname = "coder"\nstage = "coder"\nruntime = "codex"\nenv = { OPENAI_BASE_URL = "http://x", OPENAI_API_KEY = "secret:openai" }\n`;
    const repo = makeRepo({ config: roster });
    const { project } = await addProject(t.db, { repoPath: repo, name: "secrets-b" }, repoAccess, testActor);
    expect(project.configError).toContain('.drover/project.toml:5: agent[0] (coder).env.OPENAI_API_KEY: unknown secret "openai"');
    expect(project.rosterText).toBeNull();
    await setSecret(t.db, ensureSecretKey({ env: {}, dir: tmpDir() }), { projectId: project.id, name: "openai", value: VALUE }, testActor);
    const ok = await reloadProjectConfig(t.db, project.id, repoAccess, testActor);
    expect(ok.ok).toBe(true);
    expect(await t.db.agent.count({ where: { projectId: project.id, enabled: true } })).toBe(1);
    // Removing it makes the next reload fail and keeps the last good roster.
    await removeSecret(t.db, { projectId: project.id, name: "openai" }, testActor);
    const bad = await reloadProjectConfig(t.db, project.id, repoAccess, testActor);
    expect(bad).toMatchObject({ ok: false });
    expect(bad.error).toMatch(/project\.toml:5: .*OPENAI_API_KEY: unknown secret "openai"/);
    expect((await t.db.project.findUniqueOrThrow({ where: { id: project.id } })).rosterText).toContain("secret:openai");
  });
});
