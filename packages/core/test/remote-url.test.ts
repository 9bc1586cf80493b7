import { describe, expect, it } from "vitest";
import { DomainError } from "../src/errors.ts";
import { parseRemoteUrl } from "../src/config/remote-url.ts";

function refused(input: string): string {
  try {
    parseRemoteUrl(input);
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe("BAD_REQUEST");
    return (e as Error).message;
  }
  throw new Error(`expected ${input} to be refused`);
}

describe("parseRemoteUrl", () => {
  it("accepts the remote forms git uses and names the project after the repository", () => {
    expect(parseRemoteUrl("https://github.com/acme/shop.git")).toEqual({ url: "https://github.com/acme/shop.git", kind: "https", name: "shop" });
    expect(parseRemoteUrl(" ssh://git@gitea.local:2222/team/api ")).toMatchObject({ url: "ssh://git@gitea.local:2222/team/api", kind: "ssh", name: "api" });
    expect(parseRemoteUrl("git@github.com:acme/web.git")).toMatchObject({ kind: "ssh", name: "web" });
    expect(parseRemoteUrl("file:///srv/git/tools.git")).toMatchObject({ kind: "file", name: "tools" });
    expect(parseRemoteUrl("git://10.0.0.1/repo.git")).toMatchObject({ kind: "git", name: "repo" });
  });

  it("refuses credentials in the URL without echoing them", () => {
    const m = refused("https://bob:hunter2@github.com/acme/shop.git");
    expect(m).toMatch(/no credentials in the URL/);
    expect(m).not.toContain("hunter2");
    expect(refused("https://ghp_abcdef@github.com/acme/shop.git")).not.toContain("ghp_abcdef");
    expect(refused("ssh://git:pw@host/repo")).toMatch(/credentials/);
  });

  it("refuses transports and forms that run commands or mean nothing", () => {
    expect(refused("ext::sh -c touch% /tmp/pwned")).toMatch(/spaces|helpers/);
    expect(refused("ext::ssh")).toMatch(/remote helpers/);
    expect(refused("ftp://host/repo")).toMatch(/scheme ftp/);
    expect(refused("-oProxyCommand=x:repo")).toMatch(/starts with '-'/);
    expect(refused("ssh://-oProxyCommand=x/repo")).toMatch(/no host/);
    expect(refused("git@host:-x")).toMatch(/scp-like/);
    expect(refused("/srv/git/repo")).toMatch(/scp-like/);
    expect(refused("file://host/srv/repo")).toMatch(/no host/);
    expect(refused("https://github.com/")).toMatch(/names no repository/);
    expect(refused("")).toMatch(/empty/);
  });
});
