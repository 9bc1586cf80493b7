"use client";
// Your account: password change and personal access tokens (for scripts and `drover --url`).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Suspense, useState } from "react";
import { Nav, useProjectId } from "@/components/nav";
import { errorMessage } from "@/lib/error-message";
import { useMe } from "@/lib/me";
import { useTRPC } from "@/lib/trpc";
import { refetchFresh } from "@/lib/refetch-fresh";

function ChangePassword() {
  const [msg, setMsg] = useState<string | null>(null);
  return (
    <form
      className="space-y-2 text-sm"
      onSubmit={async (e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        const res = await fetch("/api/auth/change-password", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ currentPassword: f.get("current"), newPassword: f.get("next"), revokeOtherSessions: true }),
        });
        const body = (await res.json().catch(() => ({}))) as { message?: string };
        setMsg(res.ok ? "Password changed; your other sessions were signed out." : (body.message ?? "That did not work."));
        if (res.ok) form.reset();
      }}
    >
      <h2 className="font-semibold">Change password</h2>
      <input
        name="current"
        type="password"
        required
        placeholder="Current password"
        aria-label="Current password"
        autoComplete="current-password"
        className="block rounded border px-2 py-1"
      />
      <input
        name="next"
        type="password"
        required
        minLength={10}
        placeholder="New password (10+ characters)"
        aria-label="New password"
        autoComplete="new-password"
        className="block rounded border px-2 py-1"
      />
      <button type="submit" className="rounded bg-slate-900 px-2 py-1 text-white">
        Change password
      </button>
      {msg && <p role="status">{msg}</p>}
    </form>
  );
}

function Tokens() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const tokens = useQuery(trpc.people.tokens.queryOptions());
  const refresh = () => refetchFresh(qc, { queryKey: trpc.people.tokens.queryKey() });
  const [shown, setShown] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const create = useMutation(
    trpc.people.createToken.mutationOptions({ onSuccess: (r) => setShown(r.token), onError: (e) => setError(errorMessage(e)), onSettled: refresh }),
  );
  const revoke = useMutation(trpc.people.revokeToken.mutationOptions({ onSettled: refresh }));
  return (
    <section className="space-y-2 text-sm">
      <h2 className="font-semibold">Personal access tokens</h2>
      <p className="text-slate-600">
        A token acts as you, with your role: <code>pnpm drover --url {typeof window === "undefined" ? "" : window.location.origin} --token drv_… status</code>
      </p>
      <form
        className="flex gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          create.mutate({ name: String(f.get("name")), days: Number(f.get("days")) });
        }}
      >
        <input name="name" required placeholder="What uses it (e.g. ci)" aria-label="Token name" className="rounded border px-2 py-1" />
        <select name="days" aria-label="Expires after" defaultValue="30" className="rounded border px-2 py-1">
          {[7, 30, 90, 365].map((d) => (
            <option key={d} value={d}>
              {d} days
            </option>
          ))}
        </select>
        <button type="submit" className="rounded bg-slate-900 px-2 py-1 text-white">
          Create token
        </button>
      </form>
      {error && <p role="alert">{error}</p>}
      {shown && (
        <p>
          Copy it now, it is not shown again:{" "}
          <code className="break-all rounded bg-amber-100 px-1" data-testid="new-token">
            {shown}
          </code>
        </p>
      )}
      <table className="w-full border bg-white" data-testid="tokens">
        <tbody>
          {tokens.data?.map((t) => (
            <tr key={t.id} className="border-t">
              <td className="p-2">{t.name}</td>
              <td className="p-2 font-mono">{t.prefix}…</td>
              <td className="p-2">expires {t.expiresAt.toISOString().slice(0, 10)}</td>
              <td className="p-2">{t.lastUsedAt ? `used ${t.lastUsedAt.toISOString().slice(0, 16).replace("T", " ")}` : "never used"}</td>
              <td className="p-2 text-right">
                {t.revokedAt ? (
                  "revoked"
                ) : (
                  <button type="button" className="text-red-700" onClick={() => revoke.mutate({ id: t.id })}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function AccountPage() {
  const projectId = useProjectId();
  const { me } = useMe();
  return (
    <>
      <Nav projectId={projectId} />
      <main className="mx-auto max-w-3xl space-y-8 p-6">
        <h1 className="text-xl font-semibold">
          {me?.name}{" "}
          <span className="text-sm font-normal text-slate-500">
            {me?.email}, {me?.role}
          </span>
        </h1>
        <ChangePassword />
        <Tokens />
      </main>
    </>
  );
}

export default function Page() {
  return (
    <Suspense>
      <AccountPage />
    </Suspense>
  );
}
