"use client";
// An admin's webhooks and chat rooms: add one (a webhook's signing secret is shown once, here;
// chat URLs and tokens go in and never come back), remove one, and read its delivery log.
import type { NotificationEvent } from "@drover/core/notifications/events";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "@/lib/error-message";
import { useTRPC } from "@/lib/trpc";
import { DeliveryLog } from "./delivery-log";
import { EventChoice } from "./event-choice";
import { refetchFresh } from "@/lib/refetch-fresh";

type Channel = "webhook" | "slack" | "discord" | "matrix";
const input = "rounded border px-2 py-1 font-mono";

export function Receivers() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.notifications.list.queryOptions());
  const refresh = () => refetchFresh(qc, { queryKey: trpc.notifications.list.queryKey() });
  const [channel, setChannel] = useState<Channel>("webhook");
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [room, setRoom] = useState("");
  const [token, setToken] = useState("");
  const [events, setEvents] = useState<NotificationEvent[]>(["story.review_needed", "story.blocked", "merge.failed"]);
  const [open, setOpen] = useState<string | null>(null);
  const create = useMutation(
    trpc.notifications.create.mutationOptions({
      onSuccess: () => {
        setUrl(""); // secrets are not kept in the page once stored
        setToken("");
        void refresh();
      },
    }),
  );
  const remove = useMutation(trpc.notifications.remove.mutationOptions({ onSuccess: () => void refresh() }));
  const submit = () => {
    const common = { name: name.trim(), events };
    if (channel === "webhook") create.mutate({ channel, url, ...common });
    else if (channel === "matrix") create.mutate({ channel, homeserver: url, room, accessToken: token, ...common });
    else create.mutate({ channel, webhookUrl: url, ...common });
  };
  const error = create.error ?? remove.error;
  return (
    <section className="rounded border bg-white" data-testid="receivers">
      <h2 className="border-b p-2 font-semibold">Webhooks and chat rooms</h2>
      <div className="space-y-3 p-3 text-sm">
        <form
          className="space-y-2"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <div className="flex flex-wrap items-end gap-2">
            <label className="flex flex-col">
              Kind
              <select className="rounded border px-2 py-1" value={channel} onChange={(e) => setChannel(e.target.value as Channel)}>
                <option value="webhook">Webhook</option>
                <option value="slack">Slack</option>
                <option value="discord">Discord</option>
                <option value="matrix">Matrix</option>
              </select>
            </label>
            <label className="flex flex-col">
              Name
              <input className="rounded border px-2 py-1" value={name} onChange={(e) => setName(e.target.value)} required />
            </label>
            <label className="flex flex-col">
              {channel === "webhook" ? "URL" : channel === "matrix" ? "Homeserver" : "Webhook URL (secret)"}
              <input
                className={input}
                type={channel === "slack" || channel === "discord" ? "password" : "url"}
                value={url}
                onChange={(e) => setUrl(e.target.value)}
                required
                autoComplete="off"
              />
            </label>
            {channel === "matrix" && (
              <>
                <label className="flex flex-col">
                  Room
                  <input className={input} value={room} onChange={(e) => setRoom(e.target.value)} placeholder="!abc:example.org" required />
                </label>
                <label className="flex flex-col">
                  Access token (secret)
                  <input className={input} type="password" value={token} onChange={(e) => setToken(e.target.value)} required autoComplete="new-password" />
                </label>
              </>
            )}
          </div>
          <EventChoice value={events} onChange={setEvents} />
          <button type="submit" className="rounded border px-3 py-1" disabled={create.isPending}>
            Add
          </button>
        </form>
        {create.data?.signingSecret && (
          <div className="rounded border border-amber-300 bg-amber-50 p-2" data-testid="signing-secret">
            Signing secret of {create.data.subscription.name}, shown this once: <code className="select-all break-all">{create.data.signingSecret}</code>
          </div>
        )}
        {error && (
          <p role="alert" className="text-red-700">
            {errorMessage(error)}
          </p>
        )}
        {list.data?.length === 0 && <p className="text-slate-500">None yet.</p>}
        <ul className="divide-y rounded border">
          {list.data?.map((s) => (
            <li key={s.id} className="space-y-2 p-2" data-testid="receiver-row">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <span>
                  <strong>{s.name}</strong> <span className="text-slate-500">{s.channel}</span> {s.url && <code>{s.url}</code>}{" "}
                  {s.matrixRoom && <code>{s.matrixRoom}</code>} <span className="text-slate-500">· {s.events.join(", ")}</span>
                </span>
                <span className="flex gap-2">
                  <button type="button" className="rounded border px-2 py-0.5" onClick={() => setOpen(open === s.id ? null : s.id)}>
                    Delivery log
                  </button>
                  <button type="button" className="rounded border px-2 py-0.5" onClick={() => remove.mutate({ id: s.id })}>
                    Delete
                  </button>
                </span>
              </div>
              {open === s.id && <DeliveryLog subscriptionId={s.id} />}
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
