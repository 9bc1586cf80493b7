// The delivery worker's settings from the environment: how long a failed delivery is retried and
// how long one send may take. A bad value stops the runner with what to set.
import { DEFAULT_RETRY_POLICY } from "@drover/core/notifications/retry";
import { z } from "zod";
import type { DeliveryWorkerOptions } from "./delivery-worker.ts";

const secs = (name: string) =>
  z.coerce
    .number({ error: `${name} must be a number of seconds` })
    .positive({ error: `${name} must be a number of seconds above 0` })
    .optional();

const schema = z.object({
  DROVER_NOTIFY_RETRY_SECS: secs("DROVER_NOTIFY_RETRY_SECS"),
  DROVER_NOTIFY_TIMEOUT_SECS: secs("DROVER_NOTIFY_TIMEOUT_SECS"),
  DROVER_NOTIFY_BACKOFF_SECS: secs("DROVER_NOTIFY_BACKOFF_SECS"),
});

export function workerOptionsFromEnv(env: NodeJS.ProcessEnv): Omit<DeliveryWorkerOptions, "databaseUrl"> {
  const r = schema.safeParse(env);
  if (!r.success) throw new Error(r.error.issues.map((i) => i.message).join("; "));
  const e = r.data;
  return {
    env,
    ...(e.DROVER_NOTIFY_TIMEOUT_SECS ? { timeoutMs: e.DROVER_NOTIFY_TIMEOUT_SECS * 1000 } : {}),
    retry: {
      ...DEFAULT_RETRY_POLICY,
      ...(e.DROVER_NOTIFY_RETRY_SECS ? { retryForMs: e.DROVER_NOTIFY_RETRY_SECS * 1000 } : {}),
      ...(e.DROVER_NOTIFY_BACKOFF_SECS ? { baseMs: e.DROVER_NOTIFY_BACKOFF_SECS * 1000 } : {}),
    },
  };
}
