// What an unknown story, session, agent or project shows (with a 404 status): where to go instead.
import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { Nav } from "@/components/nav";

export const metadata: Metadata = { title: "Not found" };

export default function NotFound() {
  return (
    <>
      <Suspense>
        <Nav />
      </Suspense>
      <main className="mx-auto max-w-2xl space-y-3 p-8">
        <h1 className="text-2xl font-semibold">Not found</h1>
        <p className="text-slate-600">
          There is nothing at this address: the story, session, agent or project may have been removed, or the link has a wrong number.
        </p>
        <ul className="flex gap-4 text-sm">
          <li>
            <Link className="underline" href="/">
              Go to the board
            </Link>
          </li>
          <li>
            <Link className="underline" href="/activity">
              See recent activity
            </Link>
          </li>
        </ul>
      </main>
    </>
  );
}
