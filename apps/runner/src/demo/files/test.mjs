#!/usr/bin/env node
// Demo gate (script/test): every feature file must start with a heading.
import fs from "node:fs";

const dir = "features";
const files = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
let failed = 0;
for (const f of files) {
  const text = fs.readFileSync(`${dir}/${f}`, "utf8");
  if (!text.startsWith("# ")) {
    console.error(`${dir}/${f}: must start with a "# " heading`);
    failed++;
  }
}
console.log(`checked ${files.length} feature file(s), ${failed} with problems`);
process.exit(failed ? 1 : 0);
