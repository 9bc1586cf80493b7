// What an unknown story, session, agent or project shows (with a 404 status): where to go instead.
import { Suspense } from "react";
import { Nav } from "@/components/nav";

export default function NotFound() {
  return (
    <>
      {/* Metadata exports do not reach a not-found raised in a nested layout; React hoists this title. */}
      <title>Not found · Drover</title>
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
            {/* Plain links (full loads): from /?project=<unknown>, a client navigation to / keeps the path and this page stays. */}
            <a className="underline" href="/">
              Go to the board
            </a>
          </li>
          <li>
            <a className="underline" href="/activity">
              See recent activity
            </a>
          </li>
        </ul>
      </main>
    </>
  );
}
