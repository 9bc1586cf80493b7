// Sign-in: email and password, and single sign-on when an OIDC provider is configured.
import { countUsers, oidcConfigured, parseAuthEnv } from "@drover/auth";
import { webDb } from "@/server/auth";
import { SignInForm } from "./sign-in-form";

export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string; error?: string }> }) {
  const { next, error } = await searchParams;
  const env = parseAuthEnv();
  const noUsers = (await countUsers(webDb())) === 0;
  // Only a path on this site: never an open redirect.
  const back = next?.startsWith("/") && !next.startsWith("//") ? next : "/";
  return (
    <main className="mx-auto mt-24 max-w-sm rounded-lg border bg-white p-6 shadow-sm">
      <h1 className="mb-4 text-xl font-semibold">Sign in to Drover</h1>
      {noUsers && (
        <p className="mb-4 rounded bg-amber-50 p-3 text-sm text-amber-900" data-testid="not-set-up">
          Nobody can sign in yet. Open the one-time setup link that <code>drover up</code> printed, or run{" "}
          <code>pnpm drover user add --admin you@example.com</code>.
        </p>
      )}
      <SignInForm
        next={back}
        sso={oidcConfigured(env) ? env.DROVER_OIDC_NAME : null}
        error={error ? `Single sign-on did not complete: ${error.replaceAll("_", " ")}` : null}
      />
    </main>
  );
}
