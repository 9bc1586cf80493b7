"use client";
import { useState } from "react";

async function post(path: string, body: unknown): Promise<{ ok: boolean; data: { message?: string; url?: string } }> {
  const res = await fetch(`/api/auth/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { ok: res.ok, data: await res.json().catch(() => ({})) };
}

export function SignInForm({ next, sso, error: initialError }: { next: string; sso: string | null; error: string | null }) {
  const [error, setError] = useState<string | null>(initialError);
  const [busy, setBusy] = useState(false);
  async function signIn(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    const { ok, data } = await post("sign-in/email", { email: form.get("email"), password: form.get("password") });
    setBusy(false);
    if (ok) window.location.assign(next);
    else setError(data.message ?? "Sign-in failed.");
  }
  async function singleSignOn() {
    setBusy(true);
    const { ok, data } = await post("sign-in/social", { provider: "oidc", callbackURL: next, errorCallbackURL: "/sign-in" });
    if (ok && data.url) window.location.assign(data.url);
    else {
      setBusy(false);
      setError(data.message ?? "Single sign-on is not available.");
    }
  }
  return (
    <div className="space-y-4">
      <form onSubmit={signIn} className="space-y-3">
        <label className="block text-sm">
          Email
          <input name="email" type="email" required autoComplete="username" className="mt-1 w-full rounded border px-2 py-1" />
        </label>
        <label className="block text-sm">
          Password
          <input name="password" type="password" required autoComplete="current-password" className="mt-1 w-full rounded border px-2 py-1" />
        </label>
        {error && (
          <p role="alert" className="text-sm text-red-700">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy} className="w-full rounded bg-slate-900 px-3 py-1.5 text-white">
          Sign in
        </button>
      </form>
      {sso && (
        <button type="button" onClick={singleSignOn} disabled={busy} className="w-full rounded border px-3 py-1.5">
          Sign in with {sso}
        </button>
      )}
    </div>
  );
}
