// `drover start` / `drover stop` / `drover status` as real child processes: the same rules as the UI,
// errors on stderr with an exit code per kind.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { importRepo } from "@drover/db/services/storkit-io/import-repo";
import { drover, fixtureRepo } from "./helpers.ts";
import { repoAccess } from "@drover/repo";
import { testActor } from "@drover/db/testing/actors";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await importRepo(t.db, fixtureRepo(), repoAccess, testActor, { name: "acme" });
});
afterAll(() => t.drop());

describe("drover start / stop", { timeout: 300_000 }, () => {
  it("starts, refuses by rule, reports who is busy, and stops", async () => {
    const a = await drover(t.url, ["start", "acme", "12", "--json"]);
    expect(a.stderr).toBe("");
    expect(a.json()).toMatchObject({ agent: "coder-1", status: "pending", branch: "drover/12-cart-total-rounding" });

    const wrongStage = await drover(t.url, ["start", "acme", "3", "qa"]);
    expect(wrongStage.code).toBe(5);
    expect(wrongStage.stderr).toMatch(/qa is a qa agent and works on stories in qa, but story 3 is in done/);

    const busy = await drover(t.url, ["start", "acme", "9", "coder-1"]);
    expect(busy.code).toBe(4);
    expect(busy.stderr).toMatch(/coder-1 is busy on story 12; story 9 will be picked up when the agent becomes available/);

    const missing = await drover(t.url, ["start", "acme", "99"]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/No story 99/);

    expect((await drover(t.url, ["start", "acme", "8", "qa"])).stdout).toMatch(/Started qa on story 8 \(session #\d+, pending\)/);

    const s = (await drover(t.url, ["status", "acme", "--json"])).json();
    const busyWhere = Object.fromEntries(
      s.projects[0].agents.map((x: { name: string; busy: { storyNumber: number } | null }) => [x.name, x.busy?.storyNumber ?? null]),
    );
    expect(busyWhere).toEqual({ "coder-1": 12, "coder-2": null, "coder-opus": null, qa: 8, mergemaster: null, "docs-writer": null });

    const stop = await drover(t.url, ["stop", "acme", "12", "coder-1"]);
    expect(stop.stdout).toMatch(/Stopped coder-1 on story 12/);
    const session = await t.db.agentSession.findFirstOrThrow({ where: { story: { number: 12 } } });
    expect([session.status, session.reason]).toEqual(["stopped", "user_stop"]);
  });
});
