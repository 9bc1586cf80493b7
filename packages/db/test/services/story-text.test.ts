// A story's description and criteria, given at create and edited by stories.update in place, with
// errors that read as sentences.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStory, criteriaOf, tickCriterion, updateStory } from "../../src/services/index.ts";
import { testActor } from "../../testing/actors.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { projectWithRoster, rejects } from "@drover/db/testing/project-fixtures";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

describe("story description and criteria", () => {
  it("are given at create, edited in place, and a title change keeps them", async () => {
    const p = await projectWithRoster(t.db);
    const s = await createStory(
      t.db,
      {
        projectId: p.id,
        title: "Pay",
        description: "Take money.",
        criteria: [
          { text: "Card", checked: false },
          { text: "", checked: false },
        ],
      },
      testActor,
    );
    expect(s.body).toBe("# Story 1: Pay\n\nTake money.\n\n## Acceptance Criteria\n\n- [ ] Card\n");
    const plain = await createStory(t.db, { projectId: p.id, title: "Plain" }, testActor);
    expect(criteriaOf(plain)).toEqual([]);

    const ref = { projectId: p.id, storyNumber: s.number };
    await updateStory(
      t.db,
      {
        ...ref,
        criteria: [
          { text: "Cash", checked: true },
          { text: "Card", checked: false },
        ],
      },
      testActor,
    );
    await updateStory(t.db, { ...ref, description: "Take money, safely.", title: "Payment" }, testActor);
    const after = await tickCriterion(t.db, { ...ref, index: 1, checked: true }, testActor);
    expect(after.body).toBe("# Story 1: Payment\n\nTake money, safely.\n\n## Acceptance Criteria\n\n- [x] Cash\n- [x] Card\n");
  });

  it("refuses a body together with parts, and says limits in plain words", async () => {
    const p = await projectWithRoster(t.db);
    const s = await createStory(t.db, { projectId: p.id, title: "Limits" }, testActor);
    const ref = { projectId: p.id, storyNumber: s.number };
    await rejects(updateStory(t.db, { ...ref, body: "x", description: "y" }, testActor), "BAD_REQUEST", /either a whole body or a description and criteria/);
    await rejects(updateStory(t.db, { ...ref, title: "t".repeat(201) }, testActor), "BAD_REQUEST", /^Title is too long: at most 200 characters$/);
    await rejects(
      updateStory(t.db, { ...ref, criteria: [{ text: "c".repeat(501), checked: false }] }, testActor),
      "BAD_REQUEST",
      /^Criteria are at most 500 characters each$/,
    );
  });
});
