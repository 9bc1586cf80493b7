// Structured logs (pino). Human-readable on a terminal, JSON lines otherwise (CI, files, log shippers).
import pino from "pino";

export function createLogger(name: string, level = process.env.LOG_LEVEL ?? "info") {
  const pretty = process.stdout.isTTY && process.env.LOG_FORMAT !== "json";
  return pino({
    name,
    level,
    ...(pretty ? { transport: { target: "pino-pretty", options: { ignore: "pid,hostname", translateTime: "HH:MM:ss" } } } : {}),
  });
}
