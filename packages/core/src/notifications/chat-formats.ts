// Messages for chat rooms, short and readable with the story's link, in each service's documented
// incoming format: Slack incoming webhooks ({text} in mrkdwn), Discord webhooks ({content} in
// Markdown, no pings), Matrix m.room.message (m.notice with plain body and HTML).
import { headline, type NotificationBody } from "./body.ts";

const DISCORD_MAX = 2000;

const slackEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const htmlEscape = (s: string) => slackEscape(s).replace(/"/g, "&quot;");
const subjectOf = (b: NotificationBody) => headline({ event: b.event, project: b.project, story: b.story ? { ...b.story, path: "" } : null });

export function slackMessage(b: NotificationBody): { text: string } {
  const title = slackEscape(subjectOf(b));
  const linked = b.story?.url ? `<${b.story.url}|${title}>` : title;
  return { text: `*${linked}*\n${slackEscape(b.reason)}` };
}

export function discordMessage(b: NotificationBody): { content: string; allowed_mentions: { parse: [] } } {
  const title = subjectOf(b);
  const head = b.story?.url ? `**[${title}](<${b.story.url}>)**` : `**${title}**`;
  const content = `${head}\n${b.reason}`;
  return { content: content.length > DISCORD_MAX ? `${content.slice(0, DISCORD_MAX - 1)}…` : content, allowed_mentions: { parse: [] } };
}

export function matrixMessage(b: NotificationBody): { msgtype: "m.notice"; body: string; format: "org.matrix.custom.html"; formatted_body: string } {
  const title = subjectOf(b);
  const link = b.story?.url;
  return {
    msgtype: "m.notice",
    body: `${title}: ${b.reason}${link ? `\n${link}` : ""}`,
    format: "org.matrix.custom.html",
    formatted_body: `<b>${link ? `<a href="${htmlEscape(link)}">${htmlEscape(title)}</a>` : htmlEscape(title)}</b>: ${htmlEscape(b.reason)}`,
  };
}
