/**
 * The layout of the server's own small pages (the activation pages, the hosted prompt): rendered
 * on the server, readable on a phone, light on bytes. Pages given an accent colour use it for
 * their buttons (an account's branding, checked for contrast with white text when it is set).
 */

const DEFAULT_ACCENT = "#1864ab";

const STYLE = `
  :root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
  body { margin: 0; background: #f4f5f7; color: #1a1b1e; line-height: 1.5; }
  main { max-width: 32rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
  .card { background: #fff; border-radius: 12px; padding: 1.25rem 1.25rem 1.5rem; box-shadow: 0 1px 3px rgb(0 0 0 / 12%); }
  header { display: flex; align-items: center; gap: 0.75rem; margin-bottom: 1rem; }
  header img { max-height: 3rem; max-width: 8rem; }
  header p { margin: 0; font-weight: 600; }
  h1 { font-size: 1.4rem; margin: 0 0 0.5rem; }
  h2 { font-size: 1.1rem; margin: 1.25rem 0 0.25rem; }
  ol { padding-left: 1.25rem; }
  li { margin-bottom: 0.75rem; }
  .qr { display: block; width: 15rem; max-width: 100%; margin: 0.5rem auto; }
  .qr svg { width: 100%; height: auto; }
  code { font-size: 1rem; word-break: break-all; background: #f1f3f5; padding: 0.1rem 0.3rem; border-radius: 4px; }
  label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
  .remember { display: flex; align-items: center; gap: 0.5rem; margin: 0.75rem 0 0; }
  .remember label { display: inline; font-weight: 400; margin: 0; }
  .remember input { width: 1.25rem; height: 1.25rem; }
  input { font-size: 1.5rem; letter-spacing: 0.3rem; width: 9rem; padding: 0.4rem 0.5rem; border: 2px solid #495057; border-radius: 6px; }
  input:focus { outline: 3px solid #1c7ed6; outline-offset: 2px; }
  button { display: block; margin-top: 1rem; font-size: 1rem; font-weight: 600; padding: 0.6rem 1.2rem; border: 0; border-radius: 6px; background: var(--accent); color: #fff; cursor: pointer; }
  button.secondary { background: #fff; color: #1a1b1e; border: 2px solid #495057; }
  button:focus { outline: 3px solid #1c7ed6; outline-offset: 2px; }
  .error { color: #a51111; background: #fff5f5; border: 1px solid #e03131; border-radius: 6px; padding: 0.5rem 0.75rem; }
  .notice { background: #e7f5ff; border: 1px solid #1c7ed6; border-radius: 6px; padding: 0.5rem 0.75rem; }
  .muted { color: #495057; font-size: 0.95rem; }
`;

export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

export interface PageOptions {
  /** A colour for buttons, `#rrggbb`. */
  accent?: string | null;
  /** HTML shown above the card's content (a logo and a name), already escaped. */
  header?: string;
  /** Scripts this origin serves, loaded deferred. */
  scripts?: readonly string[];
}

export function pageLayout(title: string, body: string, options: PageOptions = {}): string {
  const accent = /^#[0-9a-f]{6}$/i.test(options.accent ?? "") ? options.accent : DEFAULT_ACCENT;
  const scripts = (options.scripts ?? [])
    .map((src) => `<script src="${escapeHtml(src)}" defer></script>`)
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>:root { --accent: ${accent}; }${STYLE}</style>
${scripts}
</head>
<body>
<main>
<div class="card">
${options.header ?? ""}${body}
</div>
</main>
</body>
</html>
`;
}
