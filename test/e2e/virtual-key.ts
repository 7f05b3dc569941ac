import type { Page } from "playwright-core";

/**
 * A security key in real Chromium, through the DevTools WebAuthn domain's virtual authenticator
 * (a CTAP2 USB key that verifies its user). WebAuthn needs a secure context whose host is a domain,
 * so the browser opens the panel at http://localhost (a secure context), not at 127.0.0.1.
 */
export async function addVirtualKey(page: Page): Promise<string> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "usb",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
    },
  });
  return authenticatorId;
}
