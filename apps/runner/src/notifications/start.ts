// Starts the delivery worker of `drover runner`, with a database pool and a logger of its own.
import { createDb } from "@drover/db";
import { createLogger } from "../log.ts";
import { startDeliveryWorker } from "./delivery-worker.ts";
import { workerOptionsFromEnv } from "./worker-options.ts";

export function startNotificationDelivery(databaseUrl: string, env: NodeJS.ProcessEnv): { stop(): Promise<void> } {
  const options = workerOptionsFromEnv(env);
  const db = createDb(databaseUrl, { max: 2 });
  const worker = startDeliveryWorker(db, createLogger("drover-notifications"), { ...options, databaseUrl });
  return {
    async stop() {
      await worker.stop();
      await db.$disconnect();
    },
  };
}
