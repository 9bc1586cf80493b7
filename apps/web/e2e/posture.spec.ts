// The web posture over real HTTP and in the browser: a foreign Host (DNS rebinding) and a foreign
// Origin on a mutation are refused, every response carries the security headers, and the board,
// story and log pages work under the Content-Security-Policy without a single violation.
import http from "node:http";
import type { Page } from "@playwright/test";
import { ADMIN_STATE } from "../playwright.config.ts";
import { expect, newStory, recordedSession, seeded, test, uid } from "./support/fixtures.ts";
import { adminCookieHeader } from "./support/sign-in.ts";

function send(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? "GET", headers: opts.headers }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end(opts.body);
  });
}

const createBody = (title: string) => JSON.stringify({ json: { projectId: seeded().projectId, title } });

test("a foreign Host is refused, even for reads (DNS rebinding)", async ({ baseURL, db }) => {
  const port = new URL(baseURL!).port;
  const title = `Rebound ${uid()}`;
  const read = await send(`${baseURL}/api/trpc/views.projects`, { headers: { host: `evil.example:${port}` } });
  expect(read.status).toBe(421);
  expect(read.body).toMatch(/Host "evil\.example:\d+" is not served here.*DROVER_PUBLIC_URL.*DROVER_ALLOWED_HOSTS/);
  expect(read.body).not.toContain("e2e"); // no project names leak
  const write = await send(`${baseURL}/api/trpc/stories.create`, {
    method: "POST",
    headers: { host: `evil.example:${port}`, origin: `http://evil.example:${port}`, "content-type": "application/json" },
    body: createBody(title),
  });
  expect(write.status).toBe(421);
  expect(await db.story.count({ where: { title } })).toBe(0);
  // Every API route checks it, the downloads too.
  for (const p of [`/api/audit?format=jsonl&projectId=${seeded().projectId}`, "/api/sessions/1/raw", "/"]) {
    const res = await send(`${baseURL}${p}`, { headers: { host: `evil.example:${port}` } });
    expect(res.status, p).toBe(421);
    expect(res.headers["x-content-type-options"], p).toBe("nosniff");
  }
  // Loopback names are served (to someone signed in).
  const cookie = adminCookieHeader(ADMIN_STATE);
  expect((await send(`${baseURL}/api/trpc/views.projects`, { headers: { host: `localhost:${port}`, cookie } })).status).toBe(200);
});

test("a mutation from a foreign Origin is refused; the same origin and non-browser clients are not", async ({ baseURL, db }) => {
  const url = `${baseURL}/api/trpc/stories.create`;
  // Signed in, so only the Origin check can refuse these.
  const json = { "content-type": "application/json", cookie: adminCookieHeader(ADMIN_STATE) };
  const foreign = `Cross-site ${uid()}`;
  const refused = await send(url, { method: "POST", headers: { ...json, origin: "http://evil.example" }, body: createBody(foreign) });
  expect(refused.status).toBe(403);
  expect(refused.body).toMatch(/Cross-site request refused: a POST from http:\/\/evil\.example may not change anything/);
  const nullOrigin = await send(url, { method: "POST", headers: { ...json, origin: "null" }, body: createBody(foreign) });
  expect(nullOrigin.status).toBe(403);
  const fetchSite = await send(url, { method: "POST", headers: { ...json, "sec-fetch-site": "cross-site" }, body: createBody(foreign) });
  expect(fetchSite.status).toBe(403);
  expect(await db.story.count({ where: { title: foreign } })).toBe(0);

  const same = `Same origin ${uid()}`;
  expect((await send(url, { method: "POST", headers: { ...json, origin: baseURL! }, body: createBody(same) })).status).toBe(200);
  const script = `Script ${uid()}`;
  expect((await send(url, { method: "POST", headers: json, body: createBody(script) })).status).toBe(200);
  expect(await db.story.count({ where: { title: { in: [same, script] } } })).toBe(2);
});

test("every response carries the security headers and no X-Powered-By", async ({ baseURL }) => {
  const pages = ["/", "/activity", "/favicon.ico"];
  // API routes run without the proxy: their headers come from next.config.ts, refusals included.
  const api = ["/api/trpc/views.projects", "/api/trpc/no.such.procedure", "/api/audit?format=xml", "/api/sessions/0/raw"];
  for (const p of [...pages, ...api]) {
    const res = await send(`${baseURL}${p}`, {});
    const csp = String(res.headers["content-security-policy"] ?? "");
    expect(csp, p).toMatch(/frame-ancestors 'none'/);
    if (pages.includes(p)) expect(csp, p).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    else expect(csp, p).toMatch(/^default-src 'none'/);
    expect(csp, p).not.toMatch(/unsafe-eval/);
    expect(res.headers["x-content-type-options"], p).toBe("nosniff");
    expect(res.headers["referrer-policy"], p).toBe("same-origin");
    expect(res.headers["x-powered-by"], p).toBeUndefined();
  }
  // A fresh nonce per response.
  const a = (await send(`${baseURL}/`, {})).headers["content-security-policy"];
  const b = (await send(`${baseURL}/`, {})).headers["content-security-policy"];
  expect(a).not.toBe(b);
});

/** Collects CSP violations the page reports (the DOM event and Chromium's console message). */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  const seen: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.push(m.text());
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return async () => [...seen, ...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp))];
}

test("board, story and log pages work under the CSP with no violation", async ({ page, db }) => {
  const violations = await watchCsp(page);
  const story = await newStory(db, `CSP story ${uid()}`, { body: "## Acceptance criteria\n\n- [ ] renders\n" });
  const session = await recordedSession(db, story);
  await db.sessionEvent.createMany({
    data: Array.from({ length: 20 }, (_, seq) => ({
      sessionId: session.id,
      seq,
      kind: "text",
      text: `line ${seq} of the log`,
      payload: { kind: "text", text: `line ${seq}` },
    })),
  });

  await page.goto(`/?project=${seeded().projectId}`);
  await expect(page.getByRole("link", { name: story.title })).toBeVisible();
  // Hydrated: client navigation works (scripts ran under the nonce).
  await page.getByRole("link", { name: story.title }).click();
  await expect(page).toHaveURL(new RegExp(`/projects/${seeded().projectId}/stories/${story.number}$`));
  await expect(page.getByTestId("story-criteria")).toContainText("renders");

  await page.goto(`/sessions/${session.id}`);
  await expect(page.getByText("line 19 of the log")).toBeVisible();
  expect(await violations()).toEqual([]);
});
