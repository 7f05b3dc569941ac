import type { MailMessage } from "./mailer.js";

/** What an email says, as plain sentences around one link; every value in them is plain text. */
export interface EmailContent {
  to: string;
  subject: string;
  /** The first line, such as "Hello Ana,". */
  greeting: string;
  /** Paragraphs before the link: what this is and what to do. */
  before: string[];
  /** The link, shown as itself (a reader can see where it goes) and clickable in the HTML part. */
  link: string;
  /** Paragraphs after the link: until when it works, what to do if it was not expected. */
  after: string[];
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** When a link stops working, in words any reader can place: "Friday 14 June 2024 at 09:30 UTC". */
export function describeTime(at: Date): string {
  const words = new Intl.DateTimeFormat("en-GB", {
    dateStyle: "full",
    timeStyle: "short",
    timeZone: "UTC",
  }).format(at);
  return `${words} UTC`;
}

const PARAGRAPH =
  'style="margin:0 0 16px;font:16px/1.5 system-ui,-apple-system,Segoe UI,sans-serif"';
const LINK = 'style="color:#1864ab;word-break:break-all"';

/**
 * The email's two parts. The HTML part escapes every value put in it (a user's or account's name
 * is whatever an administrator typed), links to the link's text exactly, and carries no script,
 * image or remote resource; the text part is the same sentences, the link on a line of its own.
 */
export function composeEmail(content: EmailContent): MailMessage {
  const text = [content.greeting, ...content.before, content.link, ...content.after].join("\n\n");
  const paragraph = (words: string) => `<p ${PARAGRAPH}>${escapeHtml(words)}</p>`;
  const link = escapeHtml(content.link);
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(content.subject)}</title></head>
<body>
${[
  paragraph(content.greeting),
  ...content.before.map(paragraph),
  `<p ${PARAGRAPH}><a href="${link}" ${LINK}>${link}</a></p>`,
  ...content.after.map(paragraph),
].join("\n")}
</body>
</html>
`;
  return { to: content.to, subject: content.subject, text: `${text}\n`, html };
}
