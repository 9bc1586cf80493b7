"use client";
// Users (admin): everyone who can sign in, their roles, and one-time invitation links.
import { ROLE_DESCRIPTIONS, ROLES, type Role } from "@drover/core/access/roles";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Suspense, useState } from "react";
import { Nav, useProjectId } from "@/components/nav";
import { errorMessage } from "@/lib/error-message";
import { useTRPC } from "@/lib/trpc";
import { refetchFresh } from "@/lib/refetch-fresh";

function UsersPage() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const projectId = useProjectId();
  const users = useQuery(trpc.people.users.queryOptions());
  const invitations = useQuery(trpc.people.invitations.queryOptions());
  const refresh = () => refetchFresh(qc, { queryKey: trpc.people.pathKey() });
  const [error, setError] = useState<string | null>(null);
  const [link, setLink] = useState<string | null>(null);
  /** What happened to the mail (when SMTP is configured): sent, or why not. */
  const [mailNote, setMailNote] = useState<string | null>(null);
  const setRole = useMutation(trpc.people.setRole.mutationOptions({ onSettled: refresh, onError: (e) => setError(errorMessage(e)) }));
  const remove = useMutation(trpc.people.remove.mutationOptions({ onSettled: refresh, onError: (e) => setError(errorMessage(e)) }));
  const revoke = useMutation(trpc.people.revokeInvitation.mutationOptions({ onSettled: refresh }));
  const invite = useMutation(
    trpc.people.invite.mutationOptions({
      onSuccess: (r) => {
        setError(null);
        setLink(window.location.origin + r.path);
        setMailNote(r.mailed === "sent" ? "Also mailed to them." : r.mailed === "failed" ? r.error : null);
      },
      onError: (e) => setError(errorMessage(e)),
      onSettled: refresh,
    }),
  );
  return (
    <>
      <Nav projectId={projectId} />
      <main className="mx-auto max-w-4xl space-y-6 p-6">
        <h1 className="text-xl font-semibold">Users</h1>
        {error && (
          <p role="alert" className="rounded bg-red-50 p-2 text-sm text-red-800">
            {error}
          </p>
        )}
        <table className="w-full border bg-white text-sm" data-testid="users">
          <thead className="bg-slate-100 text-left">
            <tr>
              <th className="p-2">Name</th>
              <th className="p-2">Email</th>
              <th className="p-2">Signs in with</th>
              <th className="p-2">Role</th>
              <th className="p-2" />
            </tr>
          </thead>
          <tbody>
            {users.data?.map((u) => (
              <tr key={u.id} className="border-t" data-testid={`user-${u.email}`}>
                <td className="p-2">{u.name}</td>
                <td className="p-2">{u.email}</td>
                <td className="p-2">{u.signInWith.join(", ") || "—"}</td>
                <td className="p-2">
                  <select
                    aria-label={`Role of ${u.email}`}
                    value={u.role}
                    onChange={(e) => setRole.mutate({ userId: u.id, role: e.target.value as Role })}
                    className="rounded border px-1"
                  >
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="p-2 text-right">
                  <button type="button" className="text-red-700" onClick={() => confirm(`Remove ${u.email}?`) && remove.mutate({ userId: u.id })}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <section className="space-y-2 rounded border bg-white p-4">
          <h2 className="font-semibold">Invite someone</h2>
          <form
            className="flex flex-wrap gap-2 text-sm"
            onSubmit={(e) => {
              e.preventDefault();
              const f = new FormData(e.currentTarget);
              invite.mutate({ email: String(f.get("email")), role: f.get("role") as Role });
            }}
          >
            <input name="email" type="email" required placeholder="name@example.com" aria-label="Email to invite" className="rounded border px-2 py-1" />
            <select name="role" aria-label="Role to invite as" defaultValue="member" className="rounded border px-2 py-1">
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
            <button type="submit" className="rounded bg-slate-900 px-2 py-1 text-white" disabled={invite.isPending}>
              Create invitation link
            </button>
          </form>
          {link && (
            <p className="text-sm">
              Hand this one-time link to them (shown once, valid 7 days):{" "}
              <code className="break-all rounded bg-slate-100 px-1" data-testid="invite-link">
                {link}
              </code>
            </p>
          )}
          {link && mailNote && (
            <p className="text-sm" data-testid="invite-mail">
              {mailNote}
            </p>
          )}
          {invitations.data && invitations.data.length > 0 && (
            <ul className="text-sm text-slate-600">
              {invitations.data.map((i) => (
                <li key={i.id}>
                  {i.email} as {i.role}, until {i.expiresAt.toISOString().slice(0, 10)}{" "}
                  <button type="button" className="underline" onClick={() => revoke.mutate({ id: i.id })}>
                    revoke
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="text-sm text-slate-600">
          <h2 className="font-semibold text-slate-900">Roles</h2>
          <ul>
            {ROLES.map((r) => (
              <li key={r}>
                <b>{r}</b>: {ROLE_DESCRIPTIONS[r]}
              </li>
            ))}
          </ul>
        </section>
      </main>
    </>
  );
}

export default function Page() {
  return (
    <Suspense>
      <UsersPage />
    </Suspense>
  );
}
