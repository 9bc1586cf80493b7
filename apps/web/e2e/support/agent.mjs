#!/usr/bin/env node
// Deterministic agent for the browser tests (runtime "command"): prints numbered lines at a
// steady pace and exits 0. Usage: agent.mjs <story_id> <agent_name> <lines> <interval_ms>
const [storyId = "0", agent = "agent", lines = "5", interval = "200"] = process.argv.slice(2);
const n = Number(lines);
let i = 0;
console.log(`${agent} starting on story ${storyId}`);
const timer = setInterval(() => {
  i += 1;
  console.log(`${agent} line ${i} of ${n}`);
  if (i >= n) {
    clearInterval(timer);
    console.log(`${agent} done`);
  }
}, Number(interval));
