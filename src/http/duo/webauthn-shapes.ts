import type { WebAuthnSummary } from "../../domain/webauthn/summary.js";
import type { WebAuthnView } from "../../domain/webauthn/view.js";
import { duoUserBrief } from "./device-shapes.js";
import { unixSeconds } from "./envelope.js";

/**
 * §5 webauthncredential (research/duo-api.md §4.4; the Go client's WebAuthnToken): inside a user,
 * and in a user's sub-list, without `user`; on its own, with it. `label` is the owner's name for
 * it, a string ("" when none; the Go client declares it an int, which no real label decodes to).
 */
export function duoWebAuthn(credential: WebAuthnSummary) {
  return {
    webauthnkey: credential.id,
    credential_name: credential.credential_name,
    label: credential.label,
    date_added: unixSeconds(credential.created_at),
  };
}
export type DuoWebAuthn = ReturnType<typeof duoWebAuthn>;

export function duoWebAuthnWithUser(credential: WebAuthnView) {
  return Object.assign(duoWebAuthn(credential), { user: duoUserBrief(credential.user) });
}
