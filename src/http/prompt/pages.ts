import { manualKey } from "../enroll/page.js";
import { escapeHtml, pageLayout } from "../page-layout.js";

/**
 * The hosted prompt's pages (issue 15 item 2): server-rendered, usable with the keyboard and a
 * screen reader, small enough for a phone; script only for security keys, which need the browser's
 * WebAuthn API. Every page names the application being accessed and shows the account's branding.
 */

/** How the account presents itself to the people logging in. */
export interface PageBranding {
  name: string;
  colour: string;
  logo: { url: string; width: number; height: number } | null;
}

/** What every prompt page knows: whose login, to which application, under whose branding. */
export interface PromptFrame {
  branding: PageBranding;
  applicationName: string;
  username: string;
  /** The form actions' base: /prompt/<id>. */
  base: string;
}

export const WEBAUTHN_SCRIPTS = ["/prompt/assets/webauthn.js", "/prompt/assets/prompt.js"];

function header(branding: PageBranding): string {
  const logo = branding.logo
    ? `<img src="${escapeHtml(branding.logo.url)}" width="${branding.logo.width}" height="${branding.logo.height}" alt="">`
    : "";
  return `<header>${logo}<p>${escapeHtml(branding.name)}</p></header>\n`;
}

function page(frame: PromptFrame, title: string, body: string, scripts: readonly string[] = []) {
  return pageLayout(`${title}: ${frame.applicationName}`, body, {
    accent: frame.branding.colour,
    header: header(frame.branding),
    scripts,
  });
}

function alert(kind: "error" | "notice", text: string | undefined, id: string): string {
  if (!text) return "";
  return `<p class="${kind}" ${kind === "error" ? 'role="alert"' : 'role="status"'} id="${id}">${escapeHtml(text)}</p>\n`;
}

function passcodeField(label: string, error: string | undefined, pattern: string): string {
  return `<label for="passcode">${label}</label>
<input id="passcode" name="passcode" inputmode="numeric" autocomplete="one-time-code" pattern="${pattern}" maxlength="44" required autofocus${error ? ' aria-invalid="true" aria-describedby="passcode-error"' : ""}>`;
}

export interface FactorsPage {
  /** "Remember me" is offered for this many hours (the policy's window); null: not offered. */
  rememberHours: number | null;
  /** Phones that can receive an SMS passcode: their id and how to name them. */
  smsPhones: { id: string; name: string }[];
  hasSecurityKey: boolean;
  /** The person already asked to manage their devices once they are in. */
  managing: boolean;
  error?: string;
  notice?: string;
}

/** A span in words: "12 hours", "a day", "30 days" (whole days shown as days). */
function spanText(hours: number): string {
  if (hours % 24 !== 0) return hours === 1 ? "an hour" : `${hours} hours`;
  const days = hours / 24;
  return days === 1 ? "a day" : `${days} days`;
}

function rememberBox(hours: number | null, id: string): string {
  if (hours === null) return "";
  const span = spanText(hours);
  return `<p class="remember"><input type="checkbox" name="remember" value="1" id="${id}"> <label for="${id}">Remember me on this browser for ${span}</label></p>\n`;
}

/** Choose a way to prove it is you: a passcode (app, token or bypass code), a security key, SMS. */
export function factorsPage(frame: PromptFrame, choices: FactorsPage): string {
  const key = choices.hasSecurityKey
    ? `<h2>Security key or passkey</h2>
<form method="post" action="${frame.base}/webauthn" data-webauthn="authenticate">
<input type="hidden" name="response" value="">
${rememberBox(choices.rememberHours, "remember-key")}<button type="submit">Use my security key</button>
</form>
`
    : "";
  const sms =
    choices.smsPhones.length === 0
      ? ""
      : `<h2>Text message</h2>
<form method="post" action="${frame.base}/sms">
${choices.smsPhones
  .map(
    (phone) =>
      `<button class="secondary" type="submit" name="phone" value="${escapeHtml(phone.id)}">Text a passcode to ${escapeHtml(phone.name)}</button>`,
  )
  .join("\n")}
</form>
`;
  return page(
    frame,
    "Verify it is you",
    `<h1>Verify it is you</h1>
<p>Logging in to <strong>${escapeHtml(frame.applicationName)}</strong> as <strong>${escapeHtml(frame.username)}</strong>.</p>
${alert("error", choices.error, "passcode-error")}${alert("notice", choices.notice, "notice")}${key}<h2>Passcode</h2>
<form method="post" action="${frame.base}/passcode">
${passcodeField("Code from your authenticator app or token, or a bypass code", choices.error, "[0-9A-Za-z]{6,44}")}
${rememberBox(choices.rememberHours, "remember")}<button type="submit">Log in</button>
</form>
${sms}${
  choices.managing
    ? ""
    : `<h2>Your devices</h2>
<form method="post" action="${frame.base}/manage">
<button class="secondary" type="submit">Manage my devices</button>
</form>`
}`,
    choices.hasSecurityKey ? WEBAUTHN_SCRIPTS : [],
  );
}

export interface EnrollPage {
  otpauthUri: string;
  qrSvg: string;
  /** Security keys can be registered here too (the browser offers WebAuthn). */
  offersSecurityKey: boolean;
  error?: string;
}

/** Issue 15 item 4: no device yet, and the account requires one: set one up, then log in. */
export function enrollPage(frame: PromptFrame, setup: EnrollPage): string {
  const key = setup.offersSecurityKey
    ? `<h2>Or use a security key or passkey</h2>
<form method="post" action="${frame.base}/webauthn/register" data-webauthn="register">
<input type="hidden" name="response" value="">
<button class="secondary" type="submit">Set up a security key</button>
</form>
`
    : "";
  return page(
    frame,
    "Set up a way to log in",
    `<h1>Set up a way to log in</h1>
<p><strong>${escapeHtml(frame.applicationName)}</strong> asks for a second step when <strong>${escapeHtml(frame.username)}</strong> logs in, and you have nothing set up for it yet.</p>
${alert("error", setup.error, "passcode-error")}<h2>Authenticator app</h2>
<ol>
<li>Open an authenticator app on your phone, such as Microsoft Authenticator, Google Authenticator or 1Password, and choose to add an account.</li>
<li>Scan this QR code.
<span class="qr" role="img" aria-label="QR code to scan with your authenticator app">${setup.qrSvg}</span>
<span class="muted">Cannot scan it? Add the account by hand with this key: <code id="manual-key">${escapeHtml(manualKey(setup.otpauthUri))}</code> (time-based, 6 digits).</span></li>
<li>Type the code the app now shows.
<form method="post" action="${frame.base}/enroll">
${passcodeField("Code from your app", setup.error, "[0-9]{6}")}
<button type="submit">Finish and log in</button>
</form></li>
</ol>
${key}`,
    setup.offersSecurityKey ? WEBAUTHN_SCRIPTS : [],
  );
}

/** The login is refused: why, in plain words, and the way back to the application. */
export function refusalPage(frame: PromptFrame, message: string): string {
  return page(
    frame,
    "Access denied",
    `<h1>Access denied</h1>
<p role="alert">${escapeHtml(message)}</p>
<form method="post" action="${frame.base}/return">
<button type="submit">Return to ${escapeHtml(frame.applicationName)}</button>
</form>`,
  );
}

/** A prompt that cannot go on (expired, another browser's, a malformed request). */
export function promptErrorPage(title: string, message: string): string {
  return pageLayout(
    title,
    `<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(message)}</p>`,
  );
}

export interface DevicesPage {
  apps: { id: string; name: string }[];
  keys: { id: string; name: string }[];
  /** Every device that can prove a factor: the last one cannot be removed. */
  usable: number;
  notice?: string;
  error?: string;
}

function removableList(frame: PromptFrame, devices: { id: string; name: string }[], last: boolean) {
  const rows = devices
    .map(
      (device) => `<li>${escapeHtml(device.name)}
<form method="post" action="${frame.base}/devices/remove">
<input type="hidden" name="device" value="${escapeHtml(device.id)}">
<button class="secondary" type="submit"${last ? ' disabled aria-describedby="last-device"' : ""}>Remove ${escapeHtml(device.name)}</button>
</form></li>`,
    )
    .join("\n");
  return `<ul>\n${rows}\n</ul>`;
}

/** Issue 15 item 4: after proving a factor, the person's own devices: add one, remove one. */
export function devicesPage(frame: PromptFrame, devices: DevicesPage): string {
  const last = devices.usable <= 1;
  const apps =
    devices.apps.length === 0
      ? "<p>You have no authenticator app.</p>"
      : removableList(frame, devices.apps, last);
  const keys =
    devices.keys.length === 0
      ? "<p>You have no security key or passkey.</p>"
      : removableList(frame, devices.keys, last);
  return page(
    frame,
    "Your devices",
    `<h1>Your devices</h1>
<p>You are logged in to <strong>${escapeHtml(frame.applicationName)}</strong> as <strong>${escapeHtml(frame.username)}</strong>.</p>
${alert("error", devices.error, "devices-error")}${alert("notice", devices.notice, "notice")}${last ? '<p class="muted" id="last-device">You have one way to log in: add another device before you remove it.</p>\n' : ""}<h2>Authenticator apps</h2>
${apps}
<p><a href="${frame.base}/devices/app">Add an authenticator app</a></p>
<h2>Security keys and passkeys</h2>
${keys}
<form method="post" action="${frame.base}/webauthn/register" data-webauthn="register">
<input type="hidden" name="response" value="">
<button class="secondary" type="submit">Add a security key</button>
</form>
<h2>Done</h2>
<form method="post" action="${frame.base}/return">
<button type="submit">Continue to ${escapeHtml(frame.applicationName)}</button>
</form>`,
    WEBAUTHN_SCRIPTS,
  );
}

/** Adding another authenticator app: the QR code, then its first code. */
export function addAppPage(
  frame: PromptFrame,
  setup: { otpauthUri: string; qrSvg: string; error?: string },
): string {
  return page(
    frame,
    "Add an authenticator app",
    `<h1>Add an authenticator app</h1>
${alert("error", setup.error, "passcode-error")}<ol>
<li>In the authenticator app, choose to add an account, and scan this QR code.
<span class="qr" role="img" aria-label="QR code to scan with your authenticator app">${setup.qrSvg}</span>
<span class="muted">Cannot scan it? Add the account by hand with this key: <code id="manual-key">${escapeHtml(manualKey(setup.otpauthUri))}</code> (time-based, 6 digits).</span></li>
<li>Type the code the app now shows.
<form method="post" action="${frame.base}/devices/app">
${passcodeField("Code from your app", setup.error, "[0-9]{6}")}
<button type="submit">Add this app</button>
</form></li>
</ol>
<p><a href="${frame.base}">Back to your devices</a></p>`,
  );
}
