// API routes run without proxy.ts, so each must refuse a foreign Host and a cross-site mutation
// itself. Every route file under src/app/api is found and called, so a new one cannot be forgotten;
// the refusal comes before any database access or body read. posture.spec.ts proves it over HTTP.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const apiDir = path.resolve(import.meta.dirname, "../src/app/api");
const routeFiles = (fs.readdirSync(apiDir, { recursive: true }) as string[]).filter((f) => path.basename(f) === "route.ts");
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;
type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

const call = (handler: Handler, method: string, headers: Record<string, string>) =>
  handler(new Request("http://localhost:3000/api/x", { method, headers, ...(method === "GET" || method === "HEAD" ? {} : { body: "{}" }) }), {
    params: Promise.resolve({ id: "1", trpc: "stories.create" }),
  });

describe("every API route checks Host and Origin itself", () => {
  it("finds the route files", () => {
    expect(routeFiles.length).toBeGreaterThanOrEqual(3);
  });

  it.each(routeFiles)("%s", async (file) => {
    const mod = (await import(path.join(apiDir, file))) as Partial<Record<(typeof METHODS)[number], Handler>>;
    const handlers = METHODS.filter((m) => typeof mod[m] === "function");
    expect(handlers.length, file).toBeGreaterThan(0);
    for (const m of handlers) {
      const rebound = await call(mod[m]!, m, { host: "evil.example:3000" });
      expect(rebound.status, `${m} ${file}`).toBe(421);
      expect(await rebound.text()).toMatch(/Host "evil\.example:3000" is not served here/);
      if (m !== "GET" && m !== "HEAD") {
        const crossSite = await call(mod[m]!, m, { host: "localhost:3000", origin: "http://evil.example" });
        expect(crossSite.status, `${m} ${file}`).toBe(403);
        expect(await crossSite.text()).toContain(`Cross-site request refused: a ${m} from http://evil.example`);
      }
    }
  });
});
