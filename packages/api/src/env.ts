// Server environment of the web app, validated on first use with messages that say what to set.
import { z } from "zod";

const schema = z.object({
  DATABASE_URL: z
    .string({ error: "DATABASE_URL is not set: start Drover with `pnpm start`, or set DATABASE_URL=postgresql://user:password@host:5432/drover" })
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a PostgreSQL URL like postgresql://user:password@host:5432/drover"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

let cached: z.infer<typeof schema> | undefined;

export function serverEnv(): z.infer<typeof schema> {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    throw new Error(`Invalid environment for the web app:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}
