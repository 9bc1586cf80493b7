// Walks a storkit / story-kit / huskies tree: <repo>/<root>/work/<stage folder>/*.md. Folders and
// files are followed only while they stay inside the repository (a repository can carry links to
// anywhere on the host); story files are read with readRepoFile (regular files, size limit).
import fs from "node:fs";
import path from "node:path";
import { badRequest, DomainError } from "@drover/core/errors";
import { TREE_ROOTS } from "@drover/core/storkit/layout";
import type { TreeFile } from "@drover/core/storkit/tree";
import { containedPath } from "./contained-path.ts";
import { readRepoFile } from "./repo-file.ts";

export interface StorkitTree {
  /** Absolute path of the tree root (e.g. /repo/.storkit). */
  root: string;
  files: TreeFile[];
  /** Entries not read, relative to the tree root like the import plan's (links out, oversized files). */
  skipped: Array<{ file: string; reason: string }>;
}

const LINK_OUT = "is a symbolic link that leads outside the repository (or nowhere); not followed";

/** A folder of the tree, or null when absent; throws when it is a link out of the repository. */
function treeFolder(repoPath: string, rel: string): string | null {
  const p = path.join(repoPath, rel);
  if (!fs.lstatSync(p, { throwIfNoEntry: false })) return null;
  if (!containedPath(repoPath, p)) throw badRequest(`${rel} ${LINK_OUT}; replace it with a real folder inside the repository`);
  return fs.statSync(p).isDirectory() ? p : null;
}

function findTreeRoot(repoPath: string): string | null {
  for (const r of TREE_ROOTS) {
    const p = treeFolder(repoPath, r);
    if (p) return p;
  }
  return null;
}

export function readStorkitTree(repoPath: string): StorkitTree {
  const root = findTreeRoot(repoPath);
  if (!root) throw badRequest(`${repoPath} has no ${TREE_ROOTS.join(", ")} folder to import`);
  const rootRel = path.relative(repoPath, root);
  const work = treeFolder(repoPath, path.join(rootRel, "work"));
  const files: TreeFile[] = [];
  const skipped: StorkitTree["skipped"] = [];
  if (work) {
    for (const stageDir of fs.readdirSync(work).sort()) {
      const dir = path.join(work, stageDir);
      if (!containedPath(repoPath, dir)) {
        skipped.push({ file: `work/${stageDir}`, reason: LINK_OUT });
        continue;
      }
      if (!fs.statSync(dir).isDirectory()) continue;
      for (const fileName of fs.readdirSync(dir).sort()) {
        const file = `work/${stageDir}/${fileName}`;
        if (fs.lstatSync(path.join(dir, fileName)).isDirectory()) continue; // nested folders hold no stories
        try {
          const text = readRepoFile(repoPath, path.join(rootRel, file), { what: "story file" });
          if (text !== undefined) files.push({ stageDir, fileName, text });
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          skipped.push({ file, reason: err.message.replace(`${path.join(rootRel, file)} `, "") });
        }
      }
    }
  }
  return { root, files, skipped };
}
