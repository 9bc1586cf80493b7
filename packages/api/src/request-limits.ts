// Limits of one tRPC request, shared by the server (which refuses more) and the browser's batch
// link (which splits its batches to stay within them).

/** Largest request body. A story body (200,000 characters) with its JSON escaping fits well within. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** Most procedure calls in one batched request. */
export const MAX_BATCH_SIZE = 50;
