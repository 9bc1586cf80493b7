// Which Host headers are served and which mutations count as cross-site (the pure rules the
// proxy applies; posture.spec.ts proves them over HTTP against the built app).
import { describe, expect, it } from "vitest";
import { hostAllowed, hostPolicy } from "../src/server/posture/allowed-hosts.ts";
import { crossSiteRefusal } from "../src/server/posture/same-origin.ts";

describe("allowed hosts", () => {
  it("serves loopback names on any port and nothing else by default", () => {
    const p = hostPolicy({});
    for (const h of ["localhost:3000", "127.0.0.1:4000", "[::1]:3000", "LOCALHOST"]) expect(hostAllowed(h, p), h).toBe(true);
    for (const h of ["evil.example:3000", "127.0.0.1.evil.example", "localhost.evil.example:3000", "", null]) expect(hostAllowed(h, p), String(h)).toBe(false);
  });

  it("adds DROVER_PUBLIC_URL's host and DROVER_ALLOWED_HOSTS (a name for any port, name:port for one)", () => {
    const p = hostPolicy({ DROVER_PUBLIC_URL: "https://drover.example.com", DROVER_ALLOWED_HOSTS: " build-1 , 10.0.0.5:3000 " });
    expect(p.publicOrigin).toBe("https://drover.example.com");
    expect(hostAllowed("drover.example.com", p)).toBe(true);
    expect(hostAllowed("build-1:3000", p)).toBe(true);
    expect(hostAllowed("10.0.0.5:3000", p)).toBe(true);
    expect(hostAllowed("10.0.0.5:4000", p)).toBe(false);
    expect(hostAllowed("drover.example.com.evil.example", p)).toBe(false);
  });

  it("says what to fix for a DROVER_PUBLIC_URL that is not a URL", () => {
    expect(() => hostPolicy({ DROVER_PUBLIC_URL: "drover.example.com" })).toThrow(
      /DROVER_PUBLIC_URL "drover.example.com" is not a URL: set it to the address people open/,
    );
  });
});

describe("cross-site mutations", () => {
  const req = (method: string, headers: Record<string, string>) => ({ method, headers: { get: (n: string) => headers[n] ?? null } });
  it("refuses a foreign or opaque Origin and a cross-site fetch, allows same origin, the public origin and non-browser clients", () => {
    const host = { host: "127.0.0.1:3000" };
    expect(crossSiteRefusal(req("POST", { ...host, origin: "http://evil.example" }), null)).toMatch(/Cross-site request refused/);
    expect(crossSiteRefusal(req("POST", { ...host, origin: "null" }), null)).toMatch(/Cross-site request refused/);
    expect(crossSiteRefusal(req("DELETE", { ...host, "sec-fetch-site": "same-site" }), null)).toMatch(/another site \(same-site\)/);
    expect(crossSiteRefusal(req("POST", { ...host, origin: "http://127.0.0.1:3000" }), null)).toBeNull();
    expect(crossSiteRefusal(req("POST", { ...host, origin: "https://drover.example.com" }), "https://drover.example.com")).toBeNull();
    expect(crossSiteRefusal(req("POST", host), null)).toBeNull();
    expect(crossSiteRefusal(req("GET", { ...host, origin: "http://evil.example" }), null)).toBeNull();
  });
});
