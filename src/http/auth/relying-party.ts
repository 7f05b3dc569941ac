import type { FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { RelyingParty } from "../../domain/auth/security-keys.js";
import { Invalid } from "../../domain/errors.js";
import { publicUrlOf } from "../public-url.js";

/**
 * The WebAuthn relying party a panel request speaks for (R-ADM-3): the panel's own origin, from
 * GATEHOUSE_PUBLIC_URL when it is set (as `serve` always sets it), else the request's (tests),
 * and its host name as the RP ID. A key registered at one address answers only there.
 */
export function relyingPartyOf(request: FastifyRequest): RelyingParty {
  let url: URL;
  try {
    url = new URL(publicUrlOf(request));
  } catch {
    // Only without a public URL, where the Host header names the origin: one that is no host.
    throw new Invalid("host", "is not a host name a security key can be used at");
  }
  return { rpId: url.hostname, rpName: "Gatehouse", origin: url.origin };
}

/**
 * What a browser sends back from navigator.credentials.create() or .get(), as JSON
 * (@simplewebauthn/browser). The verifier reads every field with suspicion (src/authn/webauthn.ts),
 * so the door asks only for an object: fields browsers add later must not turn a key away.
 */
export const WebAuthnJson = Type.Record(Type.String(), Type.Unknown());

/** Options for the browser's ceremony (PublicKeyCredential*OptionsJSON), passed through as they are. */
export const WebAuthnOptions = Type.Unknown();
