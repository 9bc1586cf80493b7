// The client side of @drover/db, safe for the web bundle. Node-only pieces have their own
// entry points: @drover/db/migrate, @drover/db/embedded, @drover/db/paths, and @drover/db/testing/* for tests (kept outside src).
export * from "./generated/prisma/client.ts";
export { createDb, getDb, type Db } from "./client.ts";
