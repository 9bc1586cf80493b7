// A remote's token on its way to a runner: sealed in the request (never in clear), opened only with
// the same key and for the same URL, dropped from the row once a runner claims it or it expires,
// and stored as the project's secret only together with the project.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@drover/core/audit/actor";
import { readSecretKey, resolveSecrets, seal, unseal } from "../../src/secrets/index.ts";
import { addRemoteProject, askToAddRemote, claimRequest, remoteTokenPurpose } from "../../src/services/index.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";

const TOKEN = "tok-sealed-91c0e2d7aa";
const URL = "https://git.example.com/team/shop.git";
const ana: Actor = { kind: "user", userId: "u-ana", name: "Ana" };
const newKey = () => readSecretKey({ env: { DROVER_SECRET_KEY: crypto.randomBytes(32).toString("base64") } })!;
const key = newKey();

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.drop());

describe("a sealed token", () => {
  it("opens only with the same key and for the same URL; the errors say what to fix and never hold it", () => {
    const s = seal(key, remoteTokenPurpose(URL), TOKEN);
    expect(JSON.stringify(s)).not.toContain(TOKEN);
    expect(unseal(key, remoteTokenPurpose(URL), s, "The token")).toBe(TOKEN);
    const other = newKey();
    const errors = [
      () => unseal(undefined, remoteTokenPurpose(URL), s, "The token"),
      () => unseal(other, remoteTokenPurpose(URL), s, "The token"),
      () => unseal(key, remoteTokenPurpose("https://git.example.com/team/other.git"), s, "The token"),
    ].map((f) => {
      try {
        f();
        return "opened";
      } catch (e) {
        return (e as Error).message;
      }
    });
    expect(errors[0]).toMatch(/^This runner has no secret key to open The token: give it the web's DROVER_SECRET_KEY \(fingerprint [0-9a-f]{12}\)/);
    expect(errors[1]).toBe(
      `The token was sealed with the web's secret key (fingerprint ${key.id}) but this runner has another (${other.id}): give runners and the web the same DROVER_SECRET_KEY`,
    );
    expect(errors[2]).toMatch(/^The token does not decrypt here \(altered, or sealed for another request\)/);
    expect(errors.join("\n")).not.toContain(TOKEN);
  });

  it("is in the request row only while it waits: a claim hands it to the runner and drops it; an expired request drops it", async () => {
    // No runner: the request expires, and the row keeps no sealed token.
    const e = await askToAddRemote(t.db, { remoteUrl: URL, baseBranch: "main", remoteSecret: "GIT_TOKEN", remoteToken: TOKEN }, ana, {
      key: () => key,
      timeoutMs: 300,
    }).catch((err: Error) => err.message);
    expect(e).toMatch(/^No runner answered within 0 s/);
    const expired = await t.db.runnerRequest.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(expired.status).toBe("failed");
    expect(expired.payload).toEqual({ remoteUrl: URL, baseBranch: "main", remoteSecret: "GIT_TOKEN" });

    // A waiting request holds it sealed; the claimer gets it, the row does not keep it.
    const pending = await t.db.runnerRequest.create({
      data: {
        kind: "project.addRemote",
        repoPath: URL,
        requestedBy: ana as never,
        payload: { remoteUrl: URL, baseBranch: "main", remoteSecret: "GIT_TOKEN", remoteToken: seal(key, remoteTokenPurpose(URL), TOKEN) } as never,
      },
    });
    expect(JSON.stringify(pending.payload)).not.toContain(TOKEN);
    await t.db.runner.create({ data: { id: "r-seal", host: "h", pid: 1, capacity: 1 } });
    const claimed = await claimRequest(t.db, "r-seal", [pending.id]);
    const sealed = (claimed!.payload as { remoteToken: { keyId: string; encrypted: string } }).remoteToken;
    expect(unseal(key, remoteTokenPurpose(URL), sealed, "The token")).toBe(TOKEN);
    const row = await t.db.runnerRequest.findUniqueOrThrow({ where: { id: pending.id } });
    expect(row.payload).toEqual({ remoteUrl: URL, baseBranch: "main", remoteSecret: "GIT_TOKEN" });
  });

  it("a token without a secret name is refused before a runner is asked", async () => {
    const before = await t.db.runnerRequest.count();
    const e = await askToAddRemote(t.db, { remoteUrl: URL, baseBranch: "main", remoteToken: TOKEN }, ana, { key: () => key, timeoutMs: 300 }).catch(
      (err: Error) => err.message,
    );
    expect(e).toMatch(/^Give the name of the secret to keep the remote's token as \(e\.g\. GIT_TOKEN\)/);
    expect(await t.db.runnerRequest.count()).toBe(before);
  });

  it("becomes the project's secret with the project, or neither is stored", async () => {
    const p = await addRemoteProject(
      t.db,
      { remoteUrl: URL, baseBranch: "main", name: "sealed-shop", remoteSecret: "GIT_TOKEN", remoteToken: { key, value: TOKEN } },
      ana,
    );
    expect((await resolveSecrets(t.db, key, p.id, ["GIT_TOKEN"])).get("GIT_TOKEN")).toBe(TOKEN);
    // A secret that cannot be stored (too long) takes the project with it: neither is left.
    const before = [await t.db.project.count(), await t.db.projectSecret.count()];
    await expect(
      addRemoteProject(
        t.db,
        { remoteUrl: `${URL}-2`, baseBranch: "main", name: "sealed-too-long", remoteSecret: "GIT_TOKEN", remoteToken: { key, value: "x".repeat(70_000) } },
        ana,
      ),
    ).rejects.toThrow("Secret value must be at most 64 KiB");
    expect([await t.db.project.count(), await t.db.projectSecret.count()]).toEqual(before);
  });
});
