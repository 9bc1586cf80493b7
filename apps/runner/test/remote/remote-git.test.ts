// Real git against real remotes (file:// and git daemon): a runner's clone follows the remote, a
// story branch pushed by one host is continued on another, pushes are never forced, and a refusal
// carries the remote's own words.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { catchUpBranch, pushRef, reconcileBranch, remoteContains, remoteGitEnv, remoteHead, runGit, syncClone } from "../../src/runner/remote-git.ts";
import { gitSync, makeRemote, pushFromOther, refusePushesTo, remoteHeadOf, serveGitDaemon } from "./remote-fixture.ts";

const env = remoteGitEnv(process.env);
const hostDir = () => path.join(fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "drover-host-"))), "clone");
const stops: Array<() => void> = [];
afterAll(() => {
  for (const s of stops) s();
});

function commitIn(dir: string, file: string, text: string, msg = "work"): string {
  fs.writeFileSync(path.join(dir, file), text);
  gitSync(dir, "add", "-A");
  gitSync(dir, "-c", "user.name=T", "-c", "user.email=t@e", "commit", "-q", "-m", msg);
  return gitSync(dir, "rev-parse", "HEAD");
}

describe("a runner's clone of a remote project", () => {
  it("clones once, then fetches: the main checkout follows the remote base", async () => {
    const r = makeRemote();
    const dir = hostDir();
    const first = await syncClone(dir, r.url, "main", env);
    expect(first).toBe(remoteHeadOf(r, "main"));
    expect(fs.readFileSync(path.join(dir, "README.md"), "utf8")).toBe("hello\n");
    const moved = pushFromOther(r, "main", { "README.md": "moved\n" });
    expect(await syncClone(dir, r.url, "main", env)).toBe(moved);
    expect(fs.readFileSync(path.join(dir, "README.md"), "utf8")).toBe("moved\n");
    expect(gitSync(dir, "symbolic-ref", "--short", "HEAD")).toBe("main");
    // A base the remote does not have yet: no commit, no error.
    expect(await syncClone(dir, r.url, "trunk", env)).toBeNull();
  });

  it("continues a story branch another host pushed: created here, then fast-forwarded inside its worktree", async () => {
    const r = makeRemote();
    const a = hostDir();
    const b = hostDir();
    await syncClone(a, r.url, "main", env);
    await syncClone(b, r.url, "main", env);
    const branch = "drover/3-add-cart";
    const wtA = path.join(a, ".drover", "worktrees", "3-add-cart");
    gitSync(a, "worktree", "add", "-q", "-b", branch, wtA, "main");
    const c1 = commitIn(wtA, "cart.txt", "one\n");
    expect(await pushRef(a, `refs/heads/${branch}`, branch, env)).toEqual({ ok: true });
    expect(remoteHeadOf(r, branch)).toBe(c1);

    await syncClone(b, r.url, "main", env);
    expect(await catchUpBranch(b, branch, env)).toBe("created");
    const wtB = path.join(b, ".drover", "worktrees", "3-add-cart");
    gitSync(b, "worktree", "add", "-q", wtB, branch);
    expect(fs.readFileSync(path.join(wtB, "cart.txt"), "utf8")).toBe("one\n");

    const c2 = commitIn(wtA, "cart.txt", "two\n");
    await pushRef(a, `refs/heads/${branch}`, branch, env);
    await syncClone(b, r.url, "main", env);
    expect(await catchUpBranch(b, branch, env)).toBe("fast-forwarded");
    expect(gitSync(wtB, "rev-parse", "HEAD")).toBe(c2);
    expect(fs.readFileSync(path.join(wtB, "cart.txt"), "utf8")).toBe("two\n");
    expect(await catchUpBranch(b, branch, env)).toBe("current");
    commitIn(wtB, "cart.txt", "three\n");
    expect(await catchUpBranch(b, branch, env)).toBe("ahead");
  });

  it("reconciles a story branch before a session: one only this host moved on is pushed; one moved on both sides takes the remote's, its own commits kept on a pushed backup branch", async () => {
    const r = makeRemote();
    const a = hostDir();
    await syncClone(a, r.url, "main", env);
    const branch = "drover/4-offline";
    gitSync(a, "branch", branch, "main");
    const wt = path.join(a, ".drover", "worktrees", "4-offline");
    gitSync(a, "worktree", "add", "-q", wt, branch);
    const c1 = commitIn(wt, "x.txt", "one\n");
    await pushRef(a, `refs/heads/${branch}`, branch, env);
    await syncClone(a, r.url, "main", env);
    const c2 = commitIn(wt, "x.txt", "two\n"); // never pushed (the push after the session failed)
    expect(await reconcileBranch(a, branch, env)).toEqual({ state: "pushed" });
    expect(remoteHeadOf(r, branch)).toBe(c2);

    await syncClone(a, r.url, "main", env);
    const mine = commitIn(wt, "x.txt", "mine\n");
    const theirs = pushFromOther(r, branch, { "y.txt": "theirs\n" });
    await syncClone(a, r.url, "main", env);
    const got = await reconcileBranch(a, branch, env);
    const backup = `drover/backup/4-offline/${mine.slice(0, 12)}`;
    expect(got).toEqual({ state: "diverged", remote: theirs, backup, kept: 1, uncommitted: false, backupPushed: true });
    expect(gitSync(wt, "rev-parse", "HEAD")).toBe(theirs); // the worktree holding it moved too
    expect(remoteHeadOf(r, backup)).toBe(mine);
    expect(remoteHeadOf(r, branch)).toBe(theirs); // nothing forced over the remote's branch
    expect(gitSync(r.bare, "merge-base", "--is-ancestor", c1, theirs)).toBe("");
  });

  it("never forces: a moved remote answers `moved`, a refusing hook answers with the remote's words, and the remote is what says a commit landed", async () => {
    const r = makeRemote();
    const dir = hostDir();
    const base = (await syncClone(dir, r.url, "main", env))!;
    const mine = commitIn(dir, "mine.txt", "mine\n");
    const theirs = pushFromOther(r, "main", { "theirs.txt": "theirs\n" });
    const moved = await pushRef(dir, mine, "main", env);
    expect(moved).toMatchObject({ ok: false, moved: true });
    expect(remoteHeadOf(r, "main")).toBe(theirs); // nothing forced over their commit
    expect(await remoteContains(dir, "main", mine, env)).toBe(false);
    expect(await remoteContains(dir, "main", base, env)).toBe(true);

    await syncClone(dir, r.url, "main", env);
    const again = commitIn(dir, "mine.txt", "mine\n");
    refusePushesTo(r, "main", "main is protected: merge through review");
    const refused = await pushRef(dir, again, "main", env);
    expect(refused).toMatchObject({ ok: false, moved: false });
    expect((refused as { message: string }).message).toMatch(/refused the push to main \(pre-receive hook declined\).*main is protected: merge through review/);
    expect(await remoteHead(dir, "main", env)).toBe(theirs);
  });

  it("works over git daemon (git://) as over file://", async () => {
    const r = makeRemote();
    const daemon = await serveGitDaemon(r);
    stops.push(daemon.stop);
    const dir = hostDir();
    expect(await syncClone(dir, daemon.url, "main", env)).toBe(remoteHeadOf(r, "main"));
    const c = commitIn(dir, "daemon.txt", "over git://\n");
    expect(await pushRef(dir, c, "main", env)).toEqual({ ok: true });
    expect(remoteHeadOf(r, "main")).toBe(c);
    expect(await remoteContains(dir, "main", c, env)).toBe(true);
  });

  it("keeps a token out of argv and out of messages; refuses helper transports", async () => {
    const tokenEnv = remoteGitEnv({ PATH: process.env.PATH }, "s3cr3t-token");
    expect(Object.values(tokenEnv).join(" ")).not.toContain("s3cr3t-token"); // only its base64 header form
    expect(tokenEnv.GIT_CONFIG_KEY_0).toBe("http.extraHeader");
    const dir = hostDir();
    const err = await syncClone(dir, "http://127.0.0.1:9/none.git", "main", tokenEnv).catch((e: Error) => e.message);
    expect(err).toMatch(/git clone of http:\/\/127\.0\.0\.1:9\/none\.git failed/);
    expect(err).not.toContain("s3cr3t");
    expect(err).not.toContain(Buffer.from("x-access-token:s3cr3t-token").toString("base64"));
    const ext = await runGit(os.tmpdir(), ["ls-remote", "ext::sh -c true"], env);
    expect(ext.code).not.toBe(0);
    expect(ext.stderr).toMatch(/transport 'ext' not allowed/);
  });
});
