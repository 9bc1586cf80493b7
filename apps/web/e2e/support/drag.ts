import type { Locator, Page } from "@playwright/test";

/**
 * Drags `from` onto `to` with the mouse, as dnd-kit's pointer sensor expects (a small move first).
 * A gesture whose card was re-rendered under the pointer as it began (a live update landing at that
 * moment, on a loaded machine) never lifts: released where it was aimed, it is made again, as a
 * person would, up to three times. Whether a lifted card lands is for the test to assert.
 */
export async function drag(page: Page, from: Locator, to: Locator) {
  const overlay = page.getByTestId("drag-overlay");
  for (let attempt = 1; ; attempt++) {
    const a = (await from.boundingBox())!;
    const b = (await to.boundingBox())!;
    await page.mouse.move(a.x + a.width / 2, a.y + 10);
    await page.mouse.down();
    await page.mouse.move(a.x + a.width / 2 + 10, a.y + 20, { steps: 5 });
    const lifted = await overlay.waitFor({ state: "visible", timeout: 1_000 }).then(
      () => true,
      () => false,
    );
    await page.mouse.move(b.x + b.width / 2, b.y + b.height - 20, { steps: 15 });
    await page.mouse.up();
    if (lifted || attempt === 3) return;
  }
}
