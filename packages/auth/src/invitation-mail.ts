// Invitations by mail when SMTP is configured (DROVER_SMTP_URL, DROVER_MAIL_FROM, DROVER_PUBLIC_URL):
// the same one-time link the admin sees, sent to the invited address through nodemailer.
import nodemailer from "nodemailer";
import type { Role } from "@drover/core/access/roles";
import { parseAuthEnv } from "./env.ts";
import { invitationPath } from "./invitations.ts";

export interface InvitationMail {
  to: string;
  token: string;
  role: Role;
  inviterName: string;
  expiresAt: Date;
}

interface MailSettings {
  smtpUrl: string;
  from: string;
  publicUrl: string;
}

/** The SMTP settings, or null when mail is not configured; throws (saying what to set) when they cannot work. */
export function mailSettings(env: NodeJS.ProcessEnv = process.env): MailSettings | null {
  const s = parseAuthEnv(env);
  if (!s.DROVER_SMTP_URL || !s.DROVER_PUBLIC_URL || !s.DROVER_MAIL_FROM) return null; // parseAuthEnv refused a partial set
  return { smtpUrl: s.DROVER_SMTP_URL, from: s.DROVER_MAIL_FROM, publicUrl: s.DROVER_PUBLIC_URL };
}

/**
 * Mails the invitation when SMTP is configured. Resolves to "sent", "off" (no SMTP configured), or
 * what went wrong; the link was made either way and the admin still sees it.
 */
export async function mailInvitation(
  settings: MailSettings | null,
  mail: InvitationMail,
): Promise<{ mailed: "sent" | "off" } | { mailed: "failed"; error: string }> {
  if (!settings) return { mailed: "off" };
  const link = new URL(invitationPath(mail.token), settings.publicUrl).toString();
  const transport = nodemailer.createTransport(settings.smtpUrl);
  try {
    await transport.sendMail({
      from: settings.from,
      to: mail.to,
      subject: `${mail.inviterName} invited you to Drover`,
      text: [
        `${mail.inviterName} invited you to Drover as ${mail.role}.`,
        "",
        `Join with this link (it works once, until ${mail.expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC):`,
        link,
        "",
      ].join("\n"),
    });
    return { mailed: "sent" };
  } catch (err) {
    // nodemailer's messages name the server and the SMTP reply, never the password in the URL.
    return { mailed: "failed", error: `The invitation was not mailed (${(err as Error).message}); hand over the link instead.` };
  } finally {
    transport.close();
  }
}
