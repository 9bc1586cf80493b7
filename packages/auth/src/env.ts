// Sign-in settings from the environment, validated on first use with messages that say what to set.
import { z } from "zod";

const url = (name: string) => z.url({ error: `${name} must be a URL like https://drover.example.com` }).optional();

const schema = z
  .object({
    /** The origin people use to reach Drover (behind a reverse proxy): cookies, links and allowed origins use it. */
    DROVER_PUBLIC_URL: url("DROVER_PUBLIC_URL"),
    /** Signs session cookies; when unset Drover makes one and keeps it in the database. */
    DROVER_AUTH_SECRET: z.string().min(32, "DROVER_AUTH_SECRET must be at least 32 characters (try `openssl rand -hex 32`)").optional(),
    DROVER_OIDC_ISSUER: url("DROVER_OIDC_ISSUER"),
    DROVER_OIDC_CLIENT_ID: z.string().min(1).optional(),
    DROVER_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    /** Only people whose email ends in @this domain may sign in through OIDC. */
    DROVER_OIDC_ALLOWED_DOMAIN: z
      .string()
      .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i, "DROVER_OIDC_ALLOWED_DOMAIN must be a domain like example.com (no @)")
      .optional(),
    /** The sign-in button's label. */
    DROVER_OIDC_NAME: z.string().min(1).default("single sign-on"),
    /** Where invitations are mailed through, e.g. smtps://user:password@mail.example.com:465; unset: links are only shown. */
    DROVER_SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\/[^\s]+$/, "DROVER_SMTP_URL must be a URL like smtp://user:password@mail.example.com:587 (or smtps://… on 465)")
      .optional(),
    /** The sender of Drover's mails. */
    DROVER_MAIL_FROM: z.email({ error: "DROVER_MAIL_FROM must be an email address like drover@example.com" }).optional(),
  })
  .superRefine((env, ctx) => {
    const oidc = [env.DROVER_OIDC_ISSUER, env.DROVER_OIDC_CLIENT_ID, env.DROVER_OIDC_CLIENT_SECRET];
    if (oidc.some(Boolean) && !oidc.every(Boolean)) {
      ctx.addIssue({
        code: "custom",
        path: ["DROVER_OIDC_ISSUER"],
        message: "set all of DROVER_OIDC_ISSUER, DROVER_OIDC_CLIENT_ID and DROVER_OIDC_CLIENT_SECRET, or none",
      });
    }
    // A mailed link must be absolute, and a mail needs a sender.
    if (env.DROVER_SMTP_URL && !env.DROVER_PUBLIC_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["DROVER_PUBLIC_URL"],
        message: "DROVER_SMTP_URL needs DROVER_PUBLIC_URL too: the links in mails must say where Drover is",
      });
    }
    if (env.DROVER_SMTP_URL && !env.DROVER_MAIL_FROM) {
      ctx.addIssue({ code: "custom", path: ["DROVER_MAIL_FROM"], message: "DROVER_SMTP_URL needs DROVER_MAIL_FROM too: the address mails are sent from" });
    }
  });

export type AuthEnv = z.infer<typeof schema>;

/** Parses sign-in settings from `env`; throws one message listing every problem. */
export function parseAuthEnv(env: NodeJS.ProcessEnv = process.env): AuthEnv {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== "")));
  if (!parsed.success) {
    throw new Error(`Invalid sign-in settings:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`);
  }
  return parsed.data;
}

export function oidcConfigured(env: AuthEnv): boolean {
  return Boolean(env.DROVER_OIDC_ISSUER && env.DROVER_OIDC_CLIENT_ID && env.DROVER_OIDC_CLIENT_SECRET);
}
