"use client";
// One receiver's deliveries, newest first: every attempt's time, status, latency and the start of
// the answer, and a button to send a delivery again.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { errorMessage } from "@/lib/error-message";
import { useTRPC } from "@/lib/trpc";
import { refetchFresh } from "@/lib/refetch-fresh";

export function DeliveryLog({ subscriptionId }: { subscriptionId: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const log = useQuery({ ...trpc.notifications.deliveries.queryOptions({ id: subscriptionId }), refetchInterval: 3_000 });
  const again = useMutation(
    trpc.notifications.redeliver.mutationOptions({
      onSuccess: () => void refetchFresh(qc, { queryKey: trpc.notifications.deliveries.queryKey({ id: subscriptionId }) }),
    }),
  );
  if (log.data?.length === 0) return <p className="text-slate-500">Nothing sent yet.</p>;
  return (
    <div className="overflow-x-auto">
      {again.error && (
        <p role="alert" className="text-red-700">
          {errorMessage(again.error)}
        </p>
      )}
      <table className="w-full text-left text-xs" data-testid="delivery-log">
        <thead className="text-slate-500">
          <tr>
            <th className="p-1">Time</th>
            <th className="p-1">Event</th>
            <th className="p-1">Attempt</th>
            <th className="p-1">Status</th>
            <th className="p-1">Latency</th>
            <th className="p-1">Response</th>
            <th className="p-1" />
          </tr>
        </thead>
        <tbody>
          {log.data?.flatMap((d) => {
            const rows = d.attemptLog.length ? d.attemptLog : [null];
            return rows.map((a, i) => (
              <tr key={`${d.id}-${a?.attempt ?? "none"}`} className="border-t align-top">
                <td className="p-1">{new Date(a?.at ?? d.createdAt).toLocaleString()}</td>
                <td className="p-1">{d.notification.event}</td>
                <td className="p-1">{a?.attempt ?? "–"}</td>
                <td className="p-1">{a ? (a.statusCode ?? "no answer") : d.status}</td>
                <td className="p-1">{a ? `${a.latencyMs} ms` : ""}</td>
                <td className="max-w-xs truncate p-1 font-mono" title={a?.responseExcerpt ?? ""}>
                  {a?.responseExcerpt}
                </td>
                <td className="p-1">
                  {i === rows.length - 1 && (
                    <span className="flex items-center gap-2">
                      <span className={d.status === "failed" ? "text-red-700" : d.status === "delivered" ? "text-green-700" : "text-slate-500"}>
                        {d.status}
                      </span>
                      {d.status !== "pending" && (
                        <button type="button" className="rounded border px-2 py-0.5" onClick={() => again.mutate({ deliveryId: String(d.id) })}>
                          Redeliver
                        </button>
                      )}
                    </span>
                  )}
                </td>
              </tr>
            ));
          })}
        </tbody>
      </table>
    </div>
  );
}
