#!/usr/bin/env node
// Demo agent for Drover's demo project: deterministic, no model. Usage:
//   node .drover/demo/agent.mjs <story_id> <agent_name> [code|qa|merge]
// It narrates what it does (each stdout line becomes a log event), edits files and commits.
import { execFileSync } from "node:child_process";
import fs from "node:fs";

const [storyId = "0", agent = "demo", mode = "code"] = process.argv.slice(2);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const git = (...args) => execFileSync("git", args, { encoding: "utf8" }).trim();
const say = async (line) => {
  console.log(line);
  await sleep(400);
};

await say(`${agent}: starting on story ${storyId} (${mode})`);
if (mode === "code") {
  await say("Reading the story and the acceptance criteria...");
  fs.mkdirSync("features", { recursive: true });
  const file = `features/story-${storyId}.md`;
  fs.writeFileSync(file, `# Story ${storyId}\n\nImplemented by ${agent} at ${new Date().toISOString()}.\n`);
  await say(`Wrote ${file}`);
  git("add", file);
  git("-c", "user.name=Drover Demo", "-c", "user.email=demo@drover.local", "commit", "-q", "-m", `story ${storyId}: implement feature`);
  await say(`Committed ${git("rev-parse", "--short", "HEAD")}`);
} else if (mode === "qa") {
  const file = `features/story-${storyId}.md`;
  if (!fs.existsSync(file)) {
    console.error(`QA failed: ${file} is missing`);
    process.exit(1);
  }
  await say(`QA: ${file} is present and non-empty`);
} else if (mode === "merge") {
  const conflicted = git("diff", "--name-only", "--diff-filter=U").split("\n").filter(Boolean);
  for (const file of conflicted) {
    const text = fs.readFileSync(file, "utf8").replace(/^(<<<<<<<|=======|>>>>>>>).*\n/gm, "");
    fs.writeFileSync(file, text);
    git("add", file);
    await say(`Resolved ${file} by keeping both sides`);
  }
  if (conflicted.length) git("-c", "user.name=Drover Demo", "-c", "user.email=demo@drover.local", "commit", "-q", "--no-edit");
}
await say("Done.");
