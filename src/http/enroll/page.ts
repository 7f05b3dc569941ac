/** The activation pages' HTML: small, server-rendered, readable on a phone, no script. */

const STYLE = `
  :root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
  body { margin: 0; background: #f4f5f7; color: #1a1b1e; line-height: 1.5; }
  main { max-width: 32rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
  .card { background: #fff; border-radius: 12px; padding: 1.25rem 1.25rem 1.5rem; box-shadow: 0 1px 3px rgb(0 0 0 / 12%); }
  h1 { font-size: 1.4rem; margin: 0 0 0.5rem; }
  ol { padding-left: 1.25rem; }
  li { margin-bottom: 0.75rem; }
  .qr { display: block; width: 15rem; max-width: 100%; margin: 0.5rem auto; }
  .qr svg { width: 100%; height: auto; }
  code { font-size: 1rem; word-break: break-all; background: #f1f3f5; padding: 0.1rem 0.3rem; border-radius: 4px; }
  label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
  input { font-size: 1.5rem; letter-spacing: 0.3rem; width: 9rem; padding: 0.4rem 0.5rem; border: 2px solid #495057; border-radius: 6px; }
  input:focus { outline: 3px solid #1c7ed6; outline-offset: 2px; }
  button { display: block; margin-top: 1rem; font-size: 1rem; font-weight: 600; padding: 0.6rem 1.2rem; border: 0; border-radius: 6px; background: #1864ab; color: #fff; cursor: pointer; }
  button:focus { outline: 3px solid #1c7ed6; outline-offset: 2px; }
  .error { color: #a51111; background: #fff5f5; border: 1px solid #e03131; border-radius: 6px; padding: 0.5rem 0.75rem; }
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

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<div class="card">
${body}
</div>
</main>
</body>
</html>
`;
}

/** The key an app takes when it cannot scan: the otpauth URI's secret, in groups of four. */
export function manualKey(otpauthUri: string): string {
  const secret = new URL(otpauthUri).searchParams.get("secret") ?? "";
  return secret.replace(/(.{4})(?=.)/g, "$1 ");
}

export interface SetupPage {
  accountName: string;
  username: string;
  otpauthUri: string;
  qrSvg: string;
  /** A sentence saying what was wrong with the last code, if any. */
  error?: string;
}

export function setupPage(page: SetupPage): string {
  const account = escapeHtml(page.accountName);
  const error = page.error
    ? `<p class="error" role="alert" id="code-error">${escapeHtml(page.error)}</p>`
    : "";
  return layout(
    `Set up your authenticator app: ${page.accountName}`,
    `<h1>Set up your authenticator app</h1>
<p>For <strong>${escapeHtml(page.username)}</strong> at ${account}. When you log in, you will type a code from this app.</p>
<ol>
<li>Open an authenticator app on your phone, such as Microsoft Authenticator, Google Authenticator or 1Password, and choose to add an account.</li>
<li>Scan this QR code.
<span class="qr" role="img" aria-label="QR code to scan with your authenticator app">${page.qrSvg}</span>
<span class="muted">Cannot scan it? Add the account by hand with this key: <code>${escapeHtml(manualKey(page.otpauthUri))}</code> (time-based, 6 digits).</span></li>
<li>Type the code the app now shows for ${account}.
${error}
<form method="post">
<label for="code">Code from your app</label>
<input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required${page.error ? ' aria-invalid="true" aria-describedby="code-error"' : ""}>
<button type="submit">Finish setup</button>
</form></li>
</ol>`,
  );
}

export function donePage(accountName: string): string {
  return layout(
    `Authenticator app set up: ${accountName}`,
    `<h1>Your authenticator app is set up</h1>
<p>From now on, when you log in to ${escapeHtml(accountName)}, type the code your app shows. You can close this page.</p>`,
  );
}

export function gonePage(message: string): string {
  return layout(
    "Activation link not valid",
    `<h1>This link cannot be used</h1>
<p>${escapeHtml(message)}</p>`,
  );
}
