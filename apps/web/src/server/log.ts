// Structured server-side logs (pino, JSON lines).
import pino from "pino";

export const log = pino({ name: "drover-web", level: process.env.LOG_LEVEL ?? "info" });
