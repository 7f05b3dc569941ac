/** The activation pages' HTML: small, server-rendered, readable on a phone, no script. */

import { escapeHtml, pageLayout as layout } from "../page-layout.js";

export { escapeHtml };

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
