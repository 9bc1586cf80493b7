"use client";
import { useState } from "react";

export function JoinForm({ token, email }: { token: string; email: string | null }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    const res = await fetch("/api/join", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token, email: email ?? form.get("email"), name: form.get("name"), password: form.get("password") }),
    });
    setBusy(false);
    if (res.ok) window.location.assign("/");
    else setError(((await res.json().catch(() => ({}))) as { message?: string }).message ?? "That did not work.");
  }
  return (
    <form onSubmit={submit} className="space-y-3">
      <label className="block text-sm">
        Email
        <input
          name="email"
          type="email"
          required
          defaultValue={email ?? ""}
          readOnly={email !== null}
          autoComplete="username"
          className="mt-1 w-full rounded border px-2 py-1"
        />
      </label>
      <label className="block text-sm">
        Name
        <input name="name" required autoComplete="name" className="mt-1 w-full rounded border px-2 py-1" />
      </label>
      <label className="block text-sm">
        Password (at least 10 characters)
        <input name="password" type="password" required minLength={10} autoComplete="new-password" className="mt-1 w-full rounded border px-2 py-1" />
      </label>
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy} className="w-full rounded bg-slate-900 px-3 py-1.5 text-white">
        {email ? "Join" : "Create admin account"}
      </button>
    </form>
  );
}
