// The HTTP request for one delivery, per channel: a signed JSON webhook, a Slack or Discord
// incoming-webhook message, or a Matrix m.room.message sent with the delivery's key as the
// transaction id (Matrix itself then drops a repeat).
import { discordMessage, matrixMessage, slackMessage } from "@drover/core/notifications/chat-formats";
import { notificationBody } from "@drover/core/notifications/body";
import { SIGNATURE_HEADER, signatureHeader } from "@drover/core/notifications/signature";
import type { ClaimedDelivery } from "@drover/db/notifications/delivery-queue";

export interface OutgoingRequest {
  method: "POST" | "PUT";
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** One key per delivery (a redelivery gets a new one): receivers drop a repeat they have seen. */
function idempotencyKey(d: Pick<ClaimedDelivery, "id" | "redeliveries">): string {
  return d.redeliveries ? `dlv_${d.id}_r${d.redeliveries}` : `dlv_${d.id}`;
}

export function requestFor(d: ClaimedDelivery, secret: string | null, publicUrl: string | undefined, nowSecs: number): OutgoingRequest {
  const body = notificationBody(String(d.notificationId), d.notification, publicUrl);
  const key = idempotencyKey(d);
  const json = { "Content-Type": "application/json", "User-Agent": "Drover-Notifications/1", "Idempotency-Key": key };
  const s = d.subscription;
  switch (s.channel) {
    case "webhook": {
      const text = JSON.stringify(body);
      return {
        method: "POST",
        url: s.url!,
        headers: { ...json, "Drover-Event": body.event, "Drover-Delivery": key, [SIGNATURE_HEADER]: signatureHeader(secret!, text, nowSecs) },
        body: text,
      };
    }
    case "slack":
      return { method: "POST", url: secret!, headers: json, body: JSON.stringify(slackMessage(body)) };
    case "discord":
      return { method: "POST", url: secret!, headers: json, body: JSON.stringify(discordMessage(body)) };
    case "matrix": {
      const base = s.url!.replace(/\/+$/, "");
      return {
        method: "PUT",
        url: `${base}/_matrix/client/v3/rooms/${encodeURIComponent(s.matrixRoom!)}/send/m.room.message/${encodeURIComponent(key)}`,
        headers: { ...json, Authorization: `Bearer ${secret}` },
        body: JSON.stringify(matrixMessage(body)),
      };
    }
    default:
      throw new Error(`Channel ${s.channel} is not delivered over HTTP`);
  }
}
