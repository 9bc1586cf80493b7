// Walks a storkit / story-kit / huskies tree: <repo>/<root>/work/<stage folder>/*.md.
import fs from "node:fs";
import path from "node:path";
import { badRequest } from "@drover/core/errors";
import { TREE_ROOTS } from "@drover/core/storkit/layout";
import type { TreeFile } from "@drover/core/storkit/tree";

export interface StorkitTree {
  /** Absolute path of the tree root (e.g. /repo/.storkit). */
  root: string;
  files: TreeFile[];
}

export function findTreeRoot(repoPath: string): string | null {
  for (const r of TREE_ROOTS) {
    const p = path.join(repoPath, r);
    if (fs.existsSync(p) && fs.statSync(p).isDirectory()) return p;
  }
  return null;
}

export function readStorkitTree(repoPath: string): StorkitTree {
  const root = findTreeRoot(repoPath);
  if (!root) throw badRequest(`${repoPath} has no ${TREE_ROOTS.join(", ")} folder to import`);
  const work = path.join(root, "work");
  const files: TreeFile[] = [];
  if (fs.existsSync(work)) {
    for (const stageDir of fs.readdirSync(work).sort()) {
      const dir = path.join(work, stageDir);
      if (!fs.statSync(dir).isDirectory()) continue;
      for (const fileName of fs.readdirSync(dir).sort()) {
        const abs = path.join(dir, fileName);
        // Symlinks could point outside the tree: only regular files are read.
        if (!fs.lstatSync(abs).isFile()) continue;
        files.push({ stageDir, fileName, text: fs.readFileSync(abs, "utf8") });
      }
    }
  }
  return { root, files };
}
