import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import {
  authenticationOptions,
  checkAuthentication,
  checkRegistration,
  credentialIdOf,
  type NewCredential,
  registrationOptions,
  type StoredCredential,
  WEBAUTHN_CEREMONY_MS,
} from "../../src/authn/index.js";
import {
  type AuthenticationJson,
  clientDataOf,
  flipByte,
  type RegistrationJson,
  SoftAuthenticator,
  withClientData,
} from "../helpers/webauthn-authenticator.js";

/**
 * WebAuthn (R-AUTH-2, R-ADM-3) against a software authenticator that makes real ES256 keys,
 * attestation "none" and signed assertions (test/helpers/webauthn-authenticator.ts): every check
 * names its refusal, each part of a response tampered with is refused, and nothing a browser
 * could send makes the verifier throw.
 */

const RP = { rpId: "gatehouse.example", origin: "https://gatehouse.example" };

async function registered(
  authenticator = new SoftAuthenticator(),
): Promise<{ authenticator: SoftAuthenticator; credential: NewCredential }> {
  const { challenge } = await registrationOptions({
    rpId: RP.rpId,
    rpName: "Gatehouse",
    userId: "DU0000000000000000A1",
    userName: "anna",
    displayName: "Anna Berg",
    excludeCredentialIds: [],
    userVerification: "preferred",
  });
  const verdict = await checkRegistration({
    response: authenticator.register({ challenge, ...RP }),
    expectedChallenge: challenge,
    expectedOrigin: RP.origin,
    rpId: RP.rpId,
    requireUserVerification: true,
  });
  if (!verdict.ok) throw new Error(`registration refused: ${verdict.reason}`);
  return { authenticator, credential: verdict.credential };
}

const stored = (credential: NewCredential, signCount = credential.signCount): StoredCredential => ({
  credentialId: credential.credentialId,
  publicKey: credential.publicKey,
  signCount,
});

describe("options", () => {
  it("registration: the RP, the user's opaque id, the excluded credentials, a fresh challenge, five minutes", async () => {
    const first = await registrationOptions({
      rpId: RP.rpId,
      rpName: "Gatehouse",
      userId: "DE0000000000000000A1",
      userName: "owner@example.com",
      displayName: "Olivia Owner",
      excludeCredentialIds: ["AAAA", "BBBB"],
      userVerification: "required",
    });
    const second = await registrationOptions({
      rpId: RP.rpId,
      rpName: "Gatehouse",
      userId: "DE0000000000000000A1",
      userName: "owner@example.com",
      displayName: "Olivia Owner",
      excludeCredentialIds: [],
      userVerification: "required",
    });
    expect(first.options).toMatchObject({
      rp: { id: RP.rpId, name: "Gatehouse" },
      user: {
        id: Buffer.from("DE0000000000000000A1").toString("base64url"),
        name: "owner@example.com",
        displayName: "Olivia Owner",
      },
      excludeCredentials: [
        { id: "AAAA", type: "public-key" },
        { id: "BBBB", type: "public-key" },
      ],
      attestation: "none",
      timeout: WEBAUTHN_CEREMONY_MS,
      authenticatorSelection: { userVerification: "required", residentKey: "preferred" },
    });
    expect(first.challenge).toBe(first.options.challenge);
    expect(Buffer.from(first.challenge, "base64url").length).toBeGreaterThanOrEqual(16);
    expect(second.challenge).not.toBe(first.challenge);
  });

  it("authentication: the RP, the allowed credentials, the user verification asked for", async () => {
    const { options, challenge } = await authenticationOptions({
      rpId: RP.rpId,
      allowCredentialIds: ["AAAA"],
      userVerification: "discouraged",
    });
    expect(options).toMatchObject({
      rpId: RP.rpId,
      allowCredentials: [{ id: "AAAA", type: "public-key" }],
      userVerification: "discouraged",
      timeout: WEBAUTHN_CEREMONY_MS,
      challenge,
    });
  });
});

describe("registration", () => {
  it("R-AUTH-2: attestation none from an ES256 key gives the credential to store, named for what it is", async () => {
    const { authenticator, credential } = await registered();
    expect(credential).toMatchObject({
      credentialId: authenticator.credentialId,
      signCount: 0,
      transports: ["usb"],
      aaguid: "00000000-0000-0000-0000-000000000000",
      backedUp: false,
      deviceType: "single_device",
      credentialName: "Security key",
    });
    expect(credential.publicKey.length).toBeGreaterThan(64);
    const passkey = await registered(
      new SoftAuthenticator({ passkey: true, attachment: "platform" }),
    );
    expect(passkey.credential).toMatchObject({
      backedUp: true,
      deviceType: "multi_device",
      credentialName: "Passkey",
    });
    const known = await registered(
      new SoftAuthenticator({ aaguid: "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4", passkey: true }),
    );
    expect(known.credential.credentialName).toBe("Google Password Manager");
  });

  const ceremony = { challenge: "cmVnaXN0cmF0aW9uLWNoYWxsZW5nZQ", ...RP };
  const check = (response: unknown, requireUserVerification = true) =>
    checkRegistration({
      response,
      expectedChallenge: ceremony.challenge,
      expectedOrigin: RP.origin,
      rpId: RP.rpId,
      requireUserVerification,
    });

  it("refuses another challenge, another origin, a framed page, another RP ID, no user presence or verification", async () => {
    const key = new SoftAuthenticator();
    expect(await check(key.register(ceremony))).toMatchObject({ ok: true });
    expect(await check(key.register({ ...ceremony, challenge: "b3RoZXI" }))).toEqual({
      ok: false,
      reason: "challenge",
    });
    expect(await check(key.register({ ...ceremony, origin: "https://evil.example" }))).toEqual({
      ok: false,
      reason: "origin",
    });
    expect(await check(key.register(ceremony, { crossOrigin: true }))).toEqual({
      ok: false,
      reason: "origin",
    });
    expect(await check(key.register({ ...ceremony, rpId: "evil.example" }))).toEqual({
      ok: false,
      reason: "origin",
    });
    expect(await check(key.register(ceremony, { userPresent: false }))).toEqual({
      ok: false,
      reason: "user_verification",
    });
    expect(await check(key.register(ceremony, { userVerified: false }))).toEqual({
      ok: false,
      reason: "user_verification",
    });
    // Where user verification is not required, presence is enough.
    expect(await check(key.register(ceremony, { userVerified: false }), false)).toMatchObject({
      ok: true,
    });
    // An assertion is not a registration.
    expect(await check(key.register(ceremony, { type: "webauthn.get" }))).toEqual({
      ok: false,
      reason: "malformed",
    });
  });

  it("refuses what could not be stored: a credential id outside 16 to 1023 bytes, a public key past 2 KiB", async () => {
    for (const [options, ok] of [
      [{ credentialIdBytes: 16 }, true],
      [{ credentialIdBytes: 1023 }, true],
      [{ credentialIdBytes: 15 }, false],
      [{ credentialIdBytes: 1024 }, false],
      [{ coseKeyPadding: 1800 }, true],
      [{ coseKeyPadding: 2100 }, false],
    ] as const) {
      const verdict = await check(new SoftAuthenticator(options).register(ceremony));
      expect(verdict, JSON.stringify(options)).toEqual(
        ok ? expect.objectContaining({ ok: true }) : { ok: false, reason: "malformed" },
      );
    }
  });

  it("refuses a response whose id is not the attested credential's, and any byte changed that attestation none still binds", async () => {
    const key = new SoftAuthenticator();
    const good = key.register(ceremony);
    const other = new SoftAuthenticator().credentialId;
    expect(await check({ ...good, id: other, rawId: other })).toEqual({
      ok: false,
      reason: "malformed",
    });
    // Attestation "none" signs nothing: the counter, the AAGUID and the key's bytes can only be
    // trusted as far as TLS carried them (a changed key fails at its first authentication). What
    // is still checked: the CBOR around authData, the RP ID hash, the user-present flag, and the
    // credential id against the response's id.
    const attestation = Buffer.from(good.response.attestationObject, "base64url");
    const { isoCBOR } = await import("@simplewebauthn/server/helpers");
    const authData = Buffer.from(
      isoCBOR.decodeFirst<Map<string, Uint8Array>>(new Uint8Array(attestation)).get("authData") ??
        [],
    );
    const at = attestation.indexOf(authData);
    expect(at).toBeGreaterThan(0);
    // The byte string's length just before authData is left out: the CBOR decoder reads a length
    // one past the end as the same bytes, so changing it changes nothing that is verified.
    const bound = [
      ...Array.from({ length: at - 1 }, (_, i) => i),
      ...Array.from({ length: 33 }, (_, i) => at + i),
      ...Array.from({ length: 2 + 32 }, (_, i) => at + 37 + 16 + i),
    ];
    for (const index of bound) {
      const tampered: RegistrationJson = {
        ...good,
        response: {
          ...good.response,
          attestationObject: flipByte(good.response.attestationObject, index),
        },
      };
      const verdict = await check(tampered);
      expect(verdict.ok, `byte ${index}`).toBe(false);
    }
  });
});

describe("authentication", () => {
  let key: SoftAuthenticator;
  let credential: NewCredential;
  beforeAll(async () => {
    ({ authenticator: key, credential } = await registered());
  });
  const ceremony = { challenge: "YXV0aGVudGljYXRpb24tY2hhbGxlbmdl", ...RP };
  const check = (
    response: unknown,
    facts: Partial<StoredCredential> = {},
    requireUserVerification = false,
  ) =>
    checkAuthentication({
      response,
      expectedChallenge: ceremony.challenge,
      expectedOrigin: RP.origin,
      rpId: RP.rpId,
      credential: { ...stored(credential), ...facts },
      requireUserVerification,
    });

  it("R-AUTH-2: a signed assertion passes and gives the new counter; the same key's next use counts up", async () => {
    const first = await check(key.authenticate(ceremony));
    expect(first).toEqual({ ok: true, newSignCount: 1, userVerified: true });
    const second = await check(key.authenticate(ceremony), { signCount: 1 });
    expect(second).toEqual({ ok: true, newSignCount: 2, userVerified: true });
  });

  it("R-AUTH-2: a counter not above the stored one is a cloned authenticator, refused; an authenticator keeping no counter (0) is not", async () => {
    const response = key.authenticate(ceremony, { counter: 5 });
    expect(await check(response, { signCount: 4 })).toMatchObject({ ok: true, newSignCount: 5 });
    expect(await check(response, { signCount: 5 })).toEqual({ ok: false, reason: "counter" });
    expect(await check(response, { signCount: 9 })).toEqual({ ok: false, reason: "counter" });
    // Either side zero: the counter says nothing (synced passkeys report 0).
    expect(await check(response, { signCount: 0 })).toMatchObject({ ok: true });
    const uncounted = key.authenticate(ceremony, { counter: 0 });
    expect(await check(uncounted, { signCount: 0 })).toMatchObject({ ok: true, newSignCount: 0 });
    expect(await check(uncounted, { signCount: 7 })).toMatchObject({ ok: true, newSignCount: 0 });
  });

  it("a forged assertion with a low counter is a bad signature, never judged a clone", async () => {
    const response = key.authenticate(ceremony, { counter: 1 });
    const forged: AuthenticationJson = {
      ...response,
      response: { ...response.response, signature: flipByte(response.response.signature, 20) },
    };
    expect(await check(forged, { signCount: 50 })).toEqual({ ok: false, reason: "signature" });
  });

  it("refuses another challenge, origin, RP ID, a framed page, no presence, and no verification where required", async () => {
    expect(await check(key.authenticate({ ...ceremony, challenge: "b3RoZXI" }))).toEqual({
      ok: false,
      reason: "challenge",
    });
    expect(
      await check(key.authenticate({ ...ceremony, origin: "http://gatehouse.example" })),
    ).toEqual({
      ok: false,
      reason: "origin",
    });
    expect(await check(key.authenticate({ ...ceremony, rpId: "example" }))).toEqual({
      ok: false,
      reason: "origin",
    });
    expect(await check(key.authenticate(ceremony, { crossOrigin: true }))).toEqual({
      ok: false,
      reason: "origin",
    });
    expect(await check(key.authenticate(ceremony, { userPresent: false }))).toEqual({
      ok: false,
      reason: "user_verification",
    });
    const unverified = key.authenticate(ceremony, { userVerified: false });
    expect(await check(unverified, {}, true)).toEqual({ ok: false, reason: "user_verification" });
    expect(await check(unverified, {}, false)).toMatchObject({ ok: true, userVerified: false });
    expect(await check(key.authenticate(ceremony, { type: "webauthn.create" }))).toEqual({
      ok: false,
      reason: "malformed",
    });
  });

  it("refuses a credential it was not given, or another key's signature under this credential's id", async () => {
    const stranger = new SoftAuthenticator();
    expect(await check(stranger.authenticate(ceremony))).toEqual({
      ok: false,
      reason: "unknown_credential",
    });
    expect(
      await checkAuthentication({
        response: key.authenticate(ceremony),
        expectedChallenge: ceremony.challenge,
        expectedOrigin: RP.origin,
        rpId: RP.rpId,
        credential: undefined,
        requireUserVerification: false,
      }),
    ).toEqual({ ok: false, reason: "unknown_credential" });
    const impostor = stranger.authenticate(ceremony);
    expect(
      await check({ ...impostor, id: credential.credentialId, rawId: credential.credentialId }),
    ).toEqual({ ok: false, reason: "signature" });
  });

  it("any byte of the authenticator data, the client data or the signature changed is refused", async () => {
    const good = key.authenticate(ceremony, { counter: 1000 });
    expect(await check(good)).toMatchObject({ ok: true });
    for (const field of ["authenticatorData", "clientDataJSON", "signature"] as const) {
      const length = Buffer.from(good.response[field], "base64url").length;
      for (let index = 0; index < length; index += 3) {
        const tampered = {
          ...good,
          response: { ...good.response, [field]: flipByte(good.response[field], index) },
        };
        const verdict = await check(tampered);
        expect(verdict.ok, `${field} byte ${index}`).toBe(false);
      }
    }
  });

  it("client data rewritten (any challenge or origin) without re-signing is refused", async () => {
    const good = key.authenticate(ceremony, { counter: 2000 });
    const data = clientDataOf(good);
    // Same fields, same values, another serialisation: the hash the signature covers changes.
    const reordered = withClientData({
      origin: data.origin,
      challenge: data.challenge,
      type: data.type,
    });
    expect(
      await check({ ...good, response: { ...good.response, clientDataJSON: reordered } }),
    ).toEqual({ ok: false, reason: "signature" });
  });
});

describe("hostile input: never a throw, always malformed (or the check it failed)", () => {
  const ceremony = { challenge: "aG9zdGlsZQ", ...RP };
  const anything = fc.anything({ withBigInt: true, withTypedArray: true, withMap: true });
  /** A response-shaped object whose fields are any JSON or random base64url. */
  const responseLike = fc.record({
    id: fc.oneof(fc.base64String(), fc.string(), anything),
    rawId: fc.oneof(fc.base64String(), fc.string(), anything),
    type: fc.oneof(fc.constant("public-key"), anything),
    response: fc.oneof(
      anything,
      fc.record({
        clientDataJSON: fc.oneof(fc.base64String(), anything),
        attestationObject: fc.oneof(fc.base64String(), anything),
        authenticatorData: fc.oneof(fc.base64String(), anything),
        signature: fc.oneof(fc.base64String(), anything),
        userHandle: anything,
        transports: anything,
      }),
    ),
  });

  it("checkRegistration and checkAuthentication answer every value with a refusal", async () => {
    const { credential } = await registered();
    await fc.assert(
      fc.asyncProperty(fc.oneof(anything, responseLike), async (response) => {
        const registration = await checkRegistration({
          response,
          expectedChallenge: ceremony.challenge,
          expectedOrigin: RP.origin,
          rpId: RP.rpId,
          requireUserVerification: false,
        });
        expect(registration.ok).toBe(false);
        const authentication = await checkAuthentication({
          response,
          expectedChallenge: ceremony.challenge,
          expectedOrigin: RP.origin,
          rpId: RP.rpId,
          credential: stored(credential),
          requireUserVerification: false,
        });
        expect(authentication.ok).toBe(false);
        expect(
          credentialIdOf(response) === undefined || typeof credentialIdOf(response) === "string",
        ).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("a real response with one field replaced by any value is refused, without a throw", async () => {
    const { authenticator, credential } = await registered();
    const good = authenticator.authenticate(ceremony, { counter: 3000 });
    const fields = ["clientDataJSON", "authenticatorData", "signature"] as const;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...fields), anything, async (field, value) => {
        const verdict = await checkAuthentication({
          response: { ...good, response: { ...good.response, [field]: value } },
          expectedChallenge: ceremony.challenge,
          expectedOrigin: RP.origin,
          rpId: RP.rpId,
          credential: stored(credential),
          requireUserVerification: false,
        });
        expect(verdict.ok).toBe(false);
      }),
      { numRuns: 200 },
    );
    // The user handle is not signed: absent, null or base64url it is read past; anything else is malformed.
    const withHandle = async (userHandle: unknown) =>
      checkAuthentication({
        response: { ...good, response: { ...good.response, userHandle } },
        expectedChallenge: ceremony.challenge,
        expectedOrigin: RP.origin,
        rpId: RP.rpId,
        credential: stored(credential, 0),
        requireUserVerification: false,
      });
    for (const fine of [undefined, null, "RFUwMDAwMDAwMDAwMDAwMDAwMEEx"])
      expect(await withHandle(fine)).toMatchObject({ ok: true });
    for (const bad of [12, {}, [], "not base64url!", "x".repeat(200)])
      expect(await withHandle(bad)).toEqual({ ok: false, reason: "malformed" });
    const registration = authenticator.register(ceremony);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("clientDataJSON", "attestationObject"),
        anything,
        async (field, value) => {
          const verdict = await checkRegistration({
            response: { ...registration, response: { ...registration.response, [field]: value } },
            expectedChallenge: ceremony.challenge,
            expectedOrigin: RP.origin,
            rpId: RP.rpId,
            requireUserVerification: false,
          });
          expect(verdict).toEqual({ ok: false, reason: "malformed" });
        },
      ),
      { numRuns: 200 },
    );
  });

  it("a well-formed attestation object carrying garbage (a bad key, a wrong format) is refused", async () => {
    const { isoCBOR } = await import("@simplewebauthn/server/helpers");
    const key = new SoftAuthenticator();
    const good = key.register(ceremony);
    const decoded = isoCBOR.decodeFirst<Map<string, unknown>>(
      new Uint8Array(Buffer.from(good.response.attestationObject, "base64url")),
    );
    const variants: Map<string, unknown>[] = [
      new Map([...decoded, ["fmt", "packed"]]),
      new Map([...decoded, ["fmt", "no-such-format"]]),
      new Map([...decoded, ["attStmt", new Map([["sig", new Uint8Array(8)]])]]),
      new Map([...decoded, ["authData", "not bytes"]]),
      new Map([...decoded, ["authData", new Uint8Array(20)]]),
    ];
    for (const variant of variants) {
      const attestationObject = Buffer.from(isoCBOR.encode(variant as never)).toString("base64url");
      const verdict = await checkRegistration({
        response: { ...good, response: { ...good.response, attestationObject } },
        expectedChallenge: ceremony.challenge,
        expectedOrigin: RP.origin,
        rpId: RP.rpId,
        requireUserVerification: false,
      });
      expect(verdict.ok).toBe(false);
    }
  });
});
