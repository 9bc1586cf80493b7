// Invitations by mail: with SMTP configured, people.invite also mails the one-time link (through a
// real SMTP server run here, with a login); without it, only the link is returned; when the server
// cannot be reached, the link is still returned with a message that leaks no password.
import type { AddressInfo } from "node:net";
import { createUserWithPassword, describeInvitation } from "@drover/auth";
import type {} from "@drover/db/testing/global-setup";
import { createTestDatabase, type TestDatabase } from "@drover/db/testing/test-database";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { appRouter } from "../src/root.ts";
import { createCallerFactory } from "../src/trpc.ts";
import { testContext } from "../testing/context.ts";

let t: TestDatabase;
const received: Array<{ from: string; to: string[]; data: string }> = [];
const smtp = new SMTPServer({
  disabledCommands: ["STARTTLS"],
  allowInsecureAuth: true,
  onAuth(auth, _session, cb) {
    if (auth.username === "drover" && auth.password === "smtp-pass-123") cb(null, { user: "drover" });
    else cb(new Error("Invalid username or password"));
  },
  onData(stream, session, cb) {
    let data = "";
    stream.on("data", (c: Buffer) => {
      data += c.toString("utf8");
    });
    stream.on("end", () => {
      // nodemailer sends the body quoted-printable (long lines folded with "=", bytes as =XX): unfold it.
      data = data.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
      received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "", to: session.envelope.rcptTo.map((r) => r.address), data });
      cb();
    });
  },
});
const MAIL_ENV = ["DROVER_SMTP_URL", "DROVER_MAIL_FROM", "DROVER_PUBLIC_URL"] as const;
let adminId: string;
const api = () => createCallerFactory(appRouter)(testContext(t.db, { name: "Ada Admin", id: adminId }));

beforeAll(async () => {
  t = await createTestDatabase();
  adminId = (await createUserWithPassword(t.db, { email: "ada@example.org", name: "Ada Admin", password: "admin-password-1", role: "admin" })).id;
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
});
afterEach(() => {
  for (const k of MAIL_ENV) delete process.env[k];
});
afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(resolve));
  await t?.drop();
});

function configure(smtpUrl: string) {
  process.env.DROVER_SMTP_URL = smtpUrl;
  process.env.DROVER_MAIL_FROM = "drover@example.org";
  process.env.DROVER_PUBLIC_URL = "https://drover.example.org";
}

it("mails the one-time link to the invited address when SMTP is configured", async () => {
  const { port } = smtp.server.address() as AddressInfo;
  configure(`smtp://drover:smtp-pass-123@127.0.0.1:${port}`);
  const res = await api().people.invite({ email: "Nina@Example.com", role: "member" });
  expect(res.mailed).toBe("sent");
  expect(received).toHaveLength(1);
  const mail = received[0]!;
  expect(mail.from).toBe("drover@example.org");
  expect(mail.to).toEqual(["nina@example.com"]);
  expect(mail.data).toContain("Subject: Ada Admin invited you to Drover");
  expect(mail.data).toContain("as member");
  const link = mail.data.match(/https:\/\/drover\.example\.org(\/join\/inv_[A-Za-z0-9_-]+)/);
  expect(link?.[1]).toBe(res.path);
  // The mailed link is the working one-time link.
  expect(await describeInvitation(t.db, res.path.slice("/join/".length))).toMatchObject({ email: "nina@example.com", role: "member" });
});

it("without SMTP only the link is returned; a server that cannot be reached is said, without the password", async () => {
  received.length = 0;
  const off = await api().people.invite({ email: "off@example.com", role: "viewer" });
  expect(off).toMatchObject({ mailed: "off", path: expect.stringMatching(/^\/join\/inv_/) });

  configure("smtp://drover:secret-pass-456@127.0.0.1:9"); // nothing listens on the discard port
  const failed = await api().people.invite({ email: "down@example.com", role: "viewer" });
  expect(failed).toMatchObject({ mailed: "failed", path: expect.stringMatching(/^\/join\/inv_/) });
  expect("error" in failed && failed.error).toMatch(/^The invitation was not mailed \(.+\); hand over the link instead\.$/);
  expect(JSON.stringify(failed)).not.toContain("secret-pass-456");
  expect(received).toHaveLength(0);
});

it("SMTP settings that cannot work are refused with what to set", async () => {
  process.env.DROVER_SMTP_URL = "smtp://127.0.0.1:25";
  await expect(api().people.invite({ email: "x@example.com", role: "viewer" })).rejects.toThrow(
    /DROVER_SMTP_URL needs DROVER_PUBLIC_URL too.*\n.*DROVER_SMTP_URL needs DROVER_MAIL_FROM too/s,
  );
  // Nothing half-made: no link exists for that address.
  expect(await t.db.invitation.count({ where: { email: "x@example.com" } })).toBe(0);
});
