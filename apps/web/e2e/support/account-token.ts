import { expect, type Page } from "@playwright/test";

/**
 * Creates a personal access token on the account page and returns it. The page may still be
 * hydrating when the name is typed (hydration then empties the field and the browser refuses the
 * empty form): typed and submitted again until the token shows.
 */
export async function createTokenInPage(page: Page, name: string): Promise<string> {
  await page.goto("/account");
  await expect(async () => {
    await page.getByLabel("Token name").fill(name);
    await page.getByRole("button", { name: "Create token" }).click();
    await expect(page.getByTestId("new-token")).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  return (await page.getByTestId("new-token").textContent())!.trim();
}
