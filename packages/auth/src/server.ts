// The Better Auth instance: email and password (argon2id), sessions in httpOnly SameSite cookies,
// optional OpenID Connect sign-in, and sign-in throttling. Sign-up is closed: people join through
// a one-time link (invitations.ts), or through OIDC when an allowed domain is set.
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { APIError, createAuthMiddleware, getIP } from "better-auth/api";
import { genericOAuth } from "better-auth/plugins/generic-oauth";
import type { Db } from "@drover/db";
import { authSecret } from "./instance-secret.ts";
import { oidcConfigured, parseAuthEnv, type AuthEnv } from "./env.ts";
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from "./password.ts";
import { accountKey, activeLock, addressKey, clearFailures, describeLock, recordFailure, THROTTLE } from "./throttle.ts";

const OIDC_PROVIDER_ID = "oidc";

function options(db: Db, env: AuthEnv, secret: string) {
  const oidc = oidcConfigured(env);
  const domain = env.DROVER_OIDC_ALLOWED_DOMAIN?.toLowerCase();
  const ipOf = (ctx: { request?: Request; headers?: Headers }) => {
    const from = ctx.request ?? ctx.headers;
    return from ? getIP(from, { advanced: {} }) : null;
  };
  return {
    appName: "Drover",
    secret,
    baseURL: env.DROVER_PUBLIC_URL,
    basePath: "/api/auth",
    // Sign-in posts must come from Drover's own pages: DROVER_PUBLIC_URL's origin, or (without it,
    // plain http on this machine) the origin of the address the browser used.
    trustedOrigins: (req?: Request) => {
      if (env.DROVER_PUBLIC_URL) return [new URL(env.DROVER_PUBLIC_URL).origin];
      const host = req?.headers.get("host");
      return host ? [`http://${host}`] : [];
    },
    database: prismaAdapter(db, { provider: "postgresql" }),
    telemetry: { enabled: false },
    logger: { level: "error" as const },
    // Our own per-account and per-address throttle below replaces Better Auth's per-path limiter.
    rateLimit: { enabled: false },
    user: {
      additionalFields: { role: { type: "string" as const, required: false, defaultValue: "viewer", input: false } },
    },
    session: { modelName: "authSession" },
    account: { modelName: "authAccount" },
    verification: { modelName: "authVerification" },
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      password: { hash: hashPassword, verify: verifyPassword },
    },
    advanced: {
      cookiePrefix: "drover",
      useSecureCookies: env.DROVER_PUBLIC_URL?.startsWith("https:") ?? false,
      database: { generateId: () => crypto.randomUUID() },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-in/email") return;
        const email = String((ctx.body as { email?: unknown } | undefined)?.email ?? "");
        const ip = ipOf(ctx);
        const lock = await activeLock(db, [accountKey(email), ...(ip ? [addressKey(ip)] : [])]);
        if (lock) throw new APIError("TOO_MANY_REQUESTS", { message: describeLock(lock), code: "SIGN_IN_LOCKED" });
      }),
      after: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-in/email") return;
        const email = String((ctx.body as { email?: unknown } | undefined)?.email ?? "");
        const ip = ipOf(ctx);
        const returned = ctx.context.returned;
        const failed = returned instanceof APIError && returned.status === "UNAUTHORIZED";
        if (failed) {
          await recordFailure(db, accountKey(email), THROTTLE.perAccount);
          if (ip) await recordFailure(db, addressKey(ip), THROTTLE.perAddress);
        } else if (!(returned instanceof APIError)) {
          await clearFailures(db, accountKey(email));
        }
      }),
    },
    plugins: oidc
      ? [
          genericOAuth({
            config: [
              {
                providerId: OIDC_PROVIDER_ID,
                name: env.DROVER_OIDC_NAME,
                discoveryUrl: `${env.DROVER_OIDC_ISSUER!.replace(/\/$/, "")}/.well-known/openid-configuration`,
                clientId: env.DROVER_OIDC_CLIENT_ID!,
                clientSecret: env.DROVER_OIDC_CLIENT_SECRET!,
                scopes: ["openid", "email", "profile"],
                pkce: true,
                // client_secret_basic: the OpenID Connect default, which every provider accepts.
                authentication: "basic" as const,
                // Without an allowed domain only people who already have an account (invited) may use it.
                disableImplicitSignUp: !domain,
                mapProfileToUser: (profile: { email?: string | null; email_verified?: boolean }) => {
                  const email = String(profile.email ?? "").toLowerCase();
                  if (domain && !email.endsWith(`@${domain}`)) {
                    throw new APIError("FORBIDDEN", { message: `Only @${domain} addresses may sign in here.` });
                  }
                  return {};
                },
              },
            ],
          }),
        ]
      : [],
  };
}

export type Auth = ReturnType<typeof betterAuth<ReturnType<typeof options>>>;

let shared: { db: Db; auth: Promise<Auth> } | undefined;

/** The process-wide auth instance for `db`, with settings from the environment. */
export function getAuth(db: Db, env: NodeJS.ProcessEnv = process.env): Promise<Auth> {
  if (!shared || shared.db !== db) {
    const parsed = parseAuthEnv(env);
    shared = { db, auth: authSecret(db, parsed.DROVER_AUTH_SECRET).then((secret) => betterAuth(options(db, parsed, secret))) };
  }
  return shared.auth;
}
