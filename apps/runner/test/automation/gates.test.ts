// Gates run as real processes: argv without a shell, output captured, first failure stops, timeout
// kills the whole process group.
import { mkdtemp, rm, writeFile, chmod } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gateArgv } from "@drover/core/config/gate-argv";
import { gateFailureText, runGates } from "../../src/automation/gates.ts";
import type { NormalizedEvent } from "@drover/core/runtimes/types";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "drover-gates-"));
  await writeFile(join(dir, "pass.sh"), "#!/bin/sh\necho all good\n");
  await writeFile(join(dir, "fail.sh"), "#!/bin/sh\necho 'FAIL: test_widget expected 3 got 4' >&2\nexit 3\n");
  // starts a grandchild that would outlive a plain kill of the gate process
  await writeFile(join(dir, "hang.sh"), "#!/bin/sh\nsleep 300 &\necho $! > grandchild.pid\nsleep 300\n");
  for (const f of ["pass.sh", "fail.sh", "hang.sh"]) await chmod(join(dir, f), 0o755);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("gates", () => {
  it("splits strings into argv without a shell", () => {
    expect(gateArgv("pnpm test -- --run 'a b'")).toEqual(["pnpm", "test", "--", "--run", "a b"]);
    expect(gateArgv(["echo", "$HOME; rm -rf /"])).toEqual(["echo", "$HOME; rm -rf /"]);
  });

  it("passes when all gates pass and stores each gate as a session event", async () => {
    const events: NormalizedEvent[] = [];
    const r = await runGates({ cwd: dir, gates: ["./pass.sh", ["echo", "$(whoami)"]], emit: async (e) => void events.push(e) });
    expect(r.passed).toBe(true);
    expect(r.gates.map((g) => g.exitCode)).toEqual([0, 0]);
    // no shell: the text is passed literally
    expect(r.gates[1].outputTail).toBe("$(whoami)\n");
    expect(events.map((e) => e.kind)).toEqual(["gate", "gate"]);
  });

  it("stops at the first failure with its exit code and output tail", async () => {
    const r = await runGates({ cwd: dir, gates: ["./fail.sh", "./pass.sh"] });
    expect(r.passed).toBe(false);
    expect(r.gates).toHaveLength(1);
    expect(r.gates[0]).toMatchObject({ exitCode: 3, timedOut: false });
    expect(gateFailureText(r)).toContain("FAIL: test_widget expected 3 got 4");
    expect(gateFailureText(r)).toContain("exited with code 3");
  });

  it("a missing binary fails the gate with a message", async () => {
    const r = await runGates({ cwd: dir, gates: ["./does-not-exist"] });
    expect(r.passed).toBe(false);
    expect(r.gates[0].error).toContain("cannot run ./does-not-exist");
  });

  it("a timeout kills the gate's whole process group", async () => {
    const r = await runGates({ cwd: dir, gates: ["./hang.sh"], timeoutSecs: 1 });
    expect(r.passed).toBe(false);
    expect(r.gates[0].timedOut).toBe(true);
    const { readFile } = await import("node:fs/promises");
    const pid = Number((await readFile(join(dir, "grandchild.pid"), "utf8")).trim());
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const until = Date.now() + 10_000;
    while (alive() && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(alive()).toBe(false);
  });
});
