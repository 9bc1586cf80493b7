// Environment of the runner process and the `drover` CLI, validated once at start so a typo
// fails with a message that says what to set, instead of surfacing later as a strange error.
import { z } from "zod";

const port = z.coerce.number().int().min(0).max(65535);

const schema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a PostgreSQL URL like postgresql://user:password@host:5432/drover")
    .optional(),
  DROVER_DATA_DIR: z.string().min(1).optional(),
  DROVER_WEB_HOST: z.string().min(1).default("127.0.0.1"),
  DROVER_WEB_PORT: port.default(3000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Env = z.infer<typeof schema>;

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}\nFix or unset these variables and start again.`);
  }
  return parsed.data;
}
