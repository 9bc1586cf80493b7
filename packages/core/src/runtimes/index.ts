// The runtime registry: one line per adapter.
import { badRequest } from "../errors.ts";
import { commandAdapter } from "./command.ts";
import { claudeAdapter } from "./claude/adapter.ts";
import { geminiAdapter } from "./gemini/adapter.ts";
import { codexAdapter } from "./codex/adapter.ts";
import type { RuntimeAdapter } from "./types.ts";

const adapters: Record<string, RuntimeAdapter> = {
  command: commandAdapter,
  "claude-code": claudeAdapter,
  gemini: geminiAdapter,
  codex: codexAdapter,
  // Add runtimes here, one line each (claude-code, gemini, codex).
};

export function getRuntimeAdapter(name: string): RuntimeAdapter {
  const a = adapters[name];
  if (!a) throw badRequest(`Unknown runtime "${name}"; known runtimes: ${Object.keys(adapters).sort().join(", ")}`);
  return a;
}
