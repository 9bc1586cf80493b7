import { describe, expect, it } from "vitest";
import { nextError, rowCount, rowOf, seqAt, type LogIndex } from "../src/lib/log-index.ts";
import { fileChangePatch } from "../src/lib/file-change.ts";
import { lineOfKey, locateConfigErrors } from "../src/lib/config-error.ts";
import { positionBetween } from "../src/lib/position.ts";
import { parseProjectConfig } from "@drover/core/config/index";
import { TRPCClientError } from "@trpc/client";
import { errorMessage } from "../src/lib/error-message.ts";

describe("log index", () => {
  const range: LogIndex = { mode: "range", min: 1, max: 50_000, errorSeqs: [10, 400], lastSeq: 50_000 };
  const list: LogIndex = { mode: "list", seqs: [3, 7, 9, 20], errorSeqs: [7, 20], lastSeq: 25 };
  it("maps rows to seqs and back", () => {
    expect(rowCount(range)).toBe(50_000);
    expect(seqAt(range, 0)).toBe(1);
    expect(rowOf(range, 50_000)).toBe(49_999);
    expect(rowCount(list)).toBe(4);
    expect(seqAt(list, 2)).toBe(9);
    expect(rowOf(list, 9)).toBe(2);
    expect(rowOf(list, 8)).toBe(2); // filtered out: the next row shown
    expect(rowOf(list, 21)).toBe(-1);
  });
  it("finds the next error, wrapping round", () => {
    expect(nextError(range, 0)).toBe(10);
    expect(nextError(range, 10)).toBe(400);
    expect(nextError(range, 400)).toBe(10);
    expect(nextError({ ...list, errorSeqs: [] }, 0)).toBeUndefined();
  });
});

describe("file change diffs", () => {
  it("shows an edit as removed and added lines", () => {
    const d = fileChangePatch({ file_path: "a.ts", old_string: "one\ntwo\n", new_string: "one\n2\n" })!;
    expect(d.file).toBe("a.ts");
    expect(d.patch).toContain("-two");
    expect(d.patch).toContain("+2");
    expect(d.patch).not.toContain("+++");
  });
  it("shows a new file as all added, and passes patches through", () => {
    expect(fileChangePatch({ file_path: "n.txt", content: "x\ny\n" })!.patch).toMatch(/\+x\n\+y/);
    expect(fileChangePatch("*** Begin Patch\n+a\n*** End Patch")!.patch).toContain("+a");
    expect(fileChangePatch({ command: "ls" })).toBeNull();
  });
});

describe("small helpers", () => {
  it("locates config errors by line and key", () => {
    const toml = [
      'default_qa = "server"',
      "",
      "[[agent]]",
      'name = "a"',
      "",
      "[[agent]]",
      'name = "qa-1"',
      'max_turns = "x"',
      "",
      "[prices.m]",
      "input = 1",
    ].join("\n");
    expect(locateConfigErrors("x.toml: not valid TOML at line 12, column 3: bad", toml)).toEqual([
      { message: "x.toml: not valid TOML at line 12, column 3: bad", line: 12 },
    ]);
    const problems = locateConfigErrors(
      '.drover/project.toml: invalid config:\n  agent[1] (qa-1).max_turns: must be a number (got "x")\n  agent[0] (a).stage: is required',
      toml,
    );
    expect(problems.map((p) => [p.key, p.line])).toEqual([
      ["agent[1].max_turns", 8],
      ["agent[0].stage", 3],
    ]);
    expect(lineOfKey(toml, "default_qa")).toBe(1);
    expect(lineOfKey(toml, "prices.m.input")).toBe(11);
    expect(lineOfKey(toml, "nope")).toBeUndefined();
  });
  it("locates a refused agent name on its line", () => {
    const toml = ["max_coders = 2", "", "[[agent]]", 'name = "x/../../../../tmp/escape"', 'stage = "coder"'].join("\n");
    let message = "";
    try {
      parseProjectConfig(toml, ".drover/project.toml");
    } catch (e) {
      message = (e as Error).message;
    }
    expect(locateConfigErrors(message, toml).map((p) => [p.key, p.line])).toEqual([["agent[0].name", 4]]);
  });
  it("puts positions between neighbours", () => {
    expect(positionBetween(undefined, undefined)).toBe(1024);
    expect(positionBetween(1, 3)).toBe(2);
    expect(positionBetween(undefined, 5)).toBeLessThan(5);
    expect(positionBetween(5, undefined)).toBeGreaterThan(5);
  });
});

describe("action errors", () => {
  it("says zod issues as field: problem", () => {
    const err = new TRPCClientError(JSON.stringify([{ code: "too_small", path: ["notes"], message: "Say what to fix" }]));
    expect(errorMessage(err)).toBe("notes: Say what to fix");
    expect(errorMessage(new TRPCClientError('No procedure found on path "x.y"'))).toMatch(/not available yet/);
    expect(errorMessage(new TRPCClientError("Cannot move story 3"))).toBe("Cannot move story 3");
  });
});
