"use client";
// The signed-in user and what their role allows, for hiding or disabling controls. The server
// checks every call itself; this only keeps the page from offering what would be refused.
import { hasRole, type Role } from "@drover/core/access/roles";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";

export function useMe() {
  const trpc = useTRPC();
  const me = useQuery(trpc.people.me.queryOptions(undefined, { staleTime: 60_000 }));
  return { me: me.data, can: (role: Role) => Boolean(me.data && hasRole(me.data.role, role)) };
}

export async function signOut(): Promise<void> {
  await fetch("/api/auth/sign-out", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  window.location.assign("/sign-in");
}
