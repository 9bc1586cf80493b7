// Actors for tests that call services directly: someone must have made every change.
import type { Actor } from "@drover/core/audit/actor";

export const testActor: Actor = { kind: "user", userId: "test-user", name: "Test User" };
