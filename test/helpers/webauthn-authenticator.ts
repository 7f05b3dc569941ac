import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from "node:crypto";
import { isoCBOR } from "@simplewebauthn/server/helpers";

/**
 * A software WebAuthn authenticator for tests: an ES256 (P-256) key made with node:crypto, and the
 * bytes a real authenticator would send: attestation "none" on registration (RFC 8152 COSE key in
 * the attested credential data) and a signed assertion on authentication (WebAuthn §6.1, §6.5).
 * Each output is plain JSON as @simplewebauthn/browser sends it, so a test can tamper with any part.
 */

const FLAG = { up: 0x01, uv: 0x04, be: 0x08, bs: 0x10, at: 0x40 } as const;

export interface Ceremony {
  challenge: string;
  origin: string;
  rpId: string;
}

export interface ResponseOptions {
  /** User present (UP): default true. */
  userPresent?: boolean;
  /** User verified (UV): default true. */
  userVerified?: boolean;
  /** The signature counter to report (default: one more than the last, from 1). */
  counter?: number;
  /** The client data's type (default the ceremony's own). */
  type?: string;
  crossOrigin?: boolean;
}

export interface RegistrationJson {
  id: string;
  rawId: string;
  type: "public-key";
  response: {
    clientDataJSON: string;
    attestationObject: string;
    transports: string[];
  };
  authenticatorAttachment: "cross-platform" | "platform";
  clientExtensionResults: Record<string, never>;
}

export interface AuthenticationJson {
  id: string;
  rawId: string;
  type: "public-key";
  response: {
    clientDataJSON: string;
    authenticatorData: string;
    signature: string;
    userHandle?: string;
  };
  authenticatorAttachment: "cross-platform" | "platform";
  clientExtensionResults: Record<string, never>;
}

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");

export class SoftAuthenticator {
  readonly credentialId: string;
  private readonly privateKey: KeyObject;
  readonly cosePublicKey: Uint8Array;
  private counter: number;

  constructor(
    readonly options: {
      aaguid?: string;
      /** A passkey: backup eligible (and backed up). */
      passkey?: boolean;
      /** Whether it keeps a signature counter (default true); one that does not always reports 0. */
      counts?: boolean;
      attachment?: "cross-platform" | "platform";
      /** A credential id of this many bytes (default 32; WebAuthn allows 16 to 1023). */
      credentialIdBytes?: number;
      /** Bytes of an extra, unknown parameter in the COSE key (a key of any size). */
      coseKeyPadding?: number;
    } = {},
  ) {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    this.privateKey = privateKey;
    const jwk = publicKey.export({ format: "jwk" });
    this.cosePublicKey = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, new Uint8Array(Buffer.from(jwk.x ?? "", "base64url"))],
        [-3, new Uint8Array(Buffer.from(jwk.y ?? "", "base64url"))],
        ...(options.coseKeyPadding
          ? [[-99, new Uint8Array(options.coseKeyPadding)] as [number, Uint8Array]]
          : []),
      ]),
    );
    this.credentialId = b64url(randomBytes(options.credentialIdBytes ?? 32));
    this.counter = 0;
  }

  private flags(options: ResponseOptions, attested: boolean): number {
    let flags = 0;
    if (options.userPresent !== false) flags |= FLAG.up;
    if (options.userVerified !== false) flags |= FLAG.uv;
    if (this.options.passkey) flags |= FLAG.be | FLAG.bs;
    if (attested) flags |= FLAG.at;
    return flags;
  }

  private clientData(type: string, ceremony: Ceremony, options: ResponseOptions): Buffer {
    return Buffer.from(
      JSON.stringify({
        type: options.type ?? type,
        challenge: ceremony.challenge,
        origin: ceremony.origin,
        crossOrigin: options.crossOrigin ?? false,
      }),
    );
  }

  private authData(rpId: string, flags: number, counter: number, attested?: Uint8Array): Buffer {
    const head = Buffer.alloc(37);
    createHash("sha256").update(rpId).digest().copy(head, 0);
    head.writeUInt8(flags, 32);
    head.writeUInt32BE(counter, 33);
    return attested ? Buffer.concat([head, attested]) : head;
  }

  /** navigator.credentials.create()'s answer, attestation "none". */
  register(ceremony: Ceremony, options: ResponseOptions = {}): RegistrationJson {
    const id = Buffer.from(this.credentialId, "base64url");
    const length = Buffer.alloc(2);
    length.writeUInt16BE(id.length);
    const aaguid = Buffer.from(
      (this.options.aaguid ?? "00000000-0000-0000-0000-000000000000").replaceAll("-", ""),
      "hex",
    );
    const attested = Buffer.concat([aaguid, length, id, this.cosePublicKey]);
    const counter = options.counter ?? this.counter;
    const authData = this.authData(ceremony.rpId, this.flags(options, true), counter, attested);
    const attestationObject = isoCBOR.encode(
      new Map<string, unknown>([
        ["fmt", "none"],
        ["attStmt", new Map()],
        ["authData", new Uint8Array(authData)],
      ]) as never,
    );
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: "public-key",
      response: {
        clientDataJSON: b64url(this.clientData("webauthn.create", ceremony, options)),
        attestationObject: b64url(attestationObject),
        transports: ["usb"],
      },
      authenticatorAttachment: this.options.attachment ?? "cross-platform",
      clientExtensionResults: {},
    };
  }

  /** navigator.credentials.get()'s answer: authenticator data and clientDataJSON's hash, signed. */
  authenticate(ceremony: Ceremony, options: ResponseOptions = {}): AuthenticationJson {
    if (this.options.counts !== false) this.counter += 1;
    const counter = options.counter ?? this.counter;
    const authData = this.authData(ceremony.rpId, this.flags(options, false), counter);
    const clientData = this.clientData("webauthn.get", ceremony, options);
    const signature = sign(
      "sha256",
      Buffer.concat([authData, createHash("sha256").update(clientData).digest()]),
      this.privateKey,
    );
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: "public-key",
      response: {
        clientDataJSON: b64url(clientData),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
      },
      authenticatorAttachment: this.options.attachment ?? "cross-platform",
      clientExtensionResults: {},
    };
  }
}

/** A copy of a response's field (base64url) with one byte changed: what a tampering test sends. */
export function flipByte(value: string, index: number): string {
  const bytes = Buffer.from(value, "base64url");
  const at = index % bytes.length;
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  return bytes.toString("base64url");
}

export function clientDataOf(response: { response: { clientDataJSON: string } }) {
  return JSON.parse(Buffer.from(response.response.clientDataJSON, "base64url").toString("utf8"));
}

export function withClientData(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}
