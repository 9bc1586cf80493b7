// A one-time link: the first-run setup (becomes the first admin) or an invitation.
import { describeInvitation } from "@drover/auth";
import { DomainError } from "@drover/core/errors";
import { webDb } from "@/server/auth";
import { JoinForm } from "./join-form";

export const dynamic = "force-dynamic";

export default async function JoinPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  let offer: Awaited<ReturnType<typeof describeInvitation>>;
  try {
    offer = await describeInvitation(webDb(), token);
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    return (
      <main className="mx-auto mt-24 max-w-sm rounded-lg border bg-white p-6">
        <h1 className="mb-2 text-xl font-semibold">This link does not work</h1>
        <p role="alert">{err.message}</p>
      </main>
    );
  }
  return (
    <main className="mx-auto mt-24 max-w-sm rounded-lg border bg-white p-6 shadow-sm">
      <h1 className="mb-2 text-xl font-semibold">{offer.setup ? "Set up Drover" : "Join Drover"}</h1>
      <p className="mb-4 text-sm text-slate-600">{offer.setup ? "Create the first account: it will be an admin." : `You are invited as ${offer.role}.`}</p>
      <JoinForm token={token} email={offer.email} />
    </main>
  );
}
