// `pnpm start` skips install and build only while the files they read are unchanged.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error a plain ES module script without types
import { buildCurrent, installCurrent, writeBuildStamp, writeInstallStamp } from "../../../../scripts/start-stamps.mjs";

const s = { installCurrent, buildCurrent, writeInstallStamp, writeBuildStamp } as {
  installCurrent(root: string): boolean;
  buildCurrent(root: string): boolean;
  writeInstallStamp(root: string): void;
  writeBuildStamp(root: string): void;
};

const root = fs.mkdtempSync(path.join(os.tmpdir(), "drover-stamps-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const write = (rel: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
};

describe("start stamps", () => {
  it("skips nothing at first, then both until a source, a manifest or the lockfile changes", () => {
    write("package.json", "{}");
    write("pnpm-lock.yaml", "lock: 1\n");
    write("prisma/schema.prisma", "model A { id Int @id }\n");
    write("apps/web/package.json", "{}");
    write("apps/web/src/page.tsx", "export default 1;\n");
    write("apps/runner/src/runner.ts", "export const r = 1;\n");
    write("packages/core/package.json", "{}");
    write("packages/core/src/rules.ts", "export const a = 1;\n");
    fs.mkdirSync(path.join(root, "node_modules"));
    expect(s.installCurrent(root)).toBe(false);
    expect(s.buildCurrent(root)).toBe(false);

    s.writeInstallStamp(root);
    write("apps/web/.next/BUILD_ID", "x\n");
    s.writeBuildStamp(root);
    expect(s.installCurrent(root)).toBe(true);
    expect(s.buildCurrent(root)).toBe(true);

    // The runner is not part of the web build; its build output and tests are not either.
    write("apps/runner/src/runner.ts", "export const r = 2;\n");
    write("apps/web/.next/cache/x", "y");
    write("apps/web/test/a.test.ts", "1");
    expect(s.buildCurrent(root)).toBe(true);

    write("packages/core/src/rules.ts", "export const a = 2;\n");
    expect(s.installCurrent(root)).toBe(true);
    expect(s.buildCurrent(root)).toBe(false);
    s.writeBuildStamp(root);

    write("prisma/schema.prisma", "model A { id Int @id  name String }\n");
    expect(s.buildCurrent(root)).toBe(false);
    s.writeBuildStamp(root);

    write("pnpm-lock.yaml", "lock: 2\n");
    expect(s.installCurrent(root)).toBe(false);
    expect(s.buildCurrent(root)).toBe(false);
    s.writeInstallStamp(root);
    s.writeBuildStamp(root);

    fs.rmSync(path.join(root, "apps/web/.next/BUILD_ID"));
    expect(s.buildCurrent(root)).toBe(false);
  });
});
