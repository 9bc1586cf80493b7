// `pnpm bench <name>` runs bench/<name>.ts (each benchmark prints its own figures).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const dir = path.dirname(fileURLToPath(import.meta.url));
const name = process.argv[2];
const available = fs.readdirSync(dir).filter((f) => f.endsWith(".ts") && f !== "main.ts").map((f) => f.slice(0, -3));
if (!name || !available.includes(name)) {
  console.error(`usage: pnpm bench <name>\navailable: ${available.join(", ") || "(none)"}`);
  process.exit(2);
}
process.argv.splice(2, 1);
await import(pathToFileURL(path.join(dir, `${name}.ts`)).href);
