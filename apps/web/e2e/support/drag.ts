import type { Locator, Page } from "@playwright/test";

/**
 * Presses on `target` and moves a little, as dnd-kit's pointer sensor expects, until the card lifts.
 * A gesture whose card was re-rendered under the pointer as it began (a live update landing at that
 * moment, on a loaded machine) never lifts: it is released away from any card and made again, as a
 * person would, up to three times. Resolves with the button still down (the last attempt's, lifted
 * or not: whether a lifted card lands is for the test to assert).
 */
export async function lift(page: Page, target: Locator, at: (box: { x: number; y: number; width: number; height: number }) => { x: number; y: number }) {
  const overlay = page.getByTestId("drag-overlay");
  for (let attempt = 1; ; attempt++) {
    const { x, y } = at((await target.boundingBox())!);
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + 10, y + 10, { steps: 5 });
    const lifted = await overlay.waitFor({ state: "visible", timeout: 1_000 }).then(
      () => true,
      () => false,
    );
    if (lifted || attempt === 3) return;
    // Released away from the card (on the card it would be a click, which opens the story).
    await page.mouse.move(1, 1, { steps: 5 });
    await page.mouse.up();
  }
}

/** Drags `from` onto `to` with the mouse (see `lift`). */
export async function drag(page: Page, from: Locator, to: Locator) {
  await lift(page, from, (a) => ({ x: a.x + a.width / 2, y: a.y + 10 }));
  const b = (await to.boundingBox())!;
  await page.mouse.move(b.x + b.width / 2, b.y + b.height - 20, { steps: 15 });
  await page.mouse.up();
}
