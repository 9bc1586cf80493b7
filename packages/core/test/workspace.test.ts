import { describe, expect, it } from "vitest";
import { assertSlug, isValidSlug, slugify, storyBranch, worktreeDirName } from "../src/pipeline/workspace.ts";

describe("workspace naming", () => {
  it("names branch and worktree folder from number and slug", () => {
    expect(storyBranch(12, "add-login")).toBe("drover/12-add-login");
    expect(worktreeDirName(12, "add-login")).toBe("12-add-login");
  });
  it("rejects slugs unsafe for refs and paths", () => {
    for (const bad of ["", "../etc", "a/b", "-a", "a--b", "A", "a b", "a.lock", "a..b", "x".repeat(61)]) {
      expect(isValidSlug(bad), bad).toBe(false);
      expect(() => assertSlug(bad)).toThrow(/Invalid slug/);
    }
    expect(() => storyBranch(0, "ok")).toThrow(/story number/);
    expect(() => storyBranch(3, "../x")).toThrow(/Invalid slug/);
  });
  it("generates valid slugs from titles and storkit names", () => {
    expect(slugify("Add_Login page!")).toBe("add-login-page");
    expect(slugify("Café ünïcode")).toBe("cafe-unicode");
    expect(slugify("***")).toBe("untitled");
    expect(isValidSlug(slugify(`${"x".repeat(100)} y`))).toBe(true);
  });
});
