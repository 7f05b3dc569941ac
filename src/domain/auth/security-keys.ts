import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import {
  checkRegistration,
  registrationOptions,
  type WebAuthnRefusal,
} from "../../authn/webauthn.js";
import { Conflict, Invalid } from "../errors.js";
import { addCredential } from "../webauthn/add.js";
import type { CredentialOwner } from "../webauthn/owner.js";
import { removeCredential } from "../webauthn/remove.js";
import { renameCredential } from "../webauthn/rename.js";
import { credentialsOfOwner, type StoredWebAuthnCredential } from "../webauthn/stored.js";
import { toWebAuthnSummary, type WebAuthnSummary } from "../webauthn/summary.js";
import { actorOf } from "./failures.js";
import { confirmCurrentPassword, type ProfileContext } from "./profile.js";
import { putChallenge, takeChallenge } from "./webauthn-challenges.js";

/**
 * R-ADM-3 "WebAuthn security key where the browser offers it", R-ROLE-7: an administrator's own
 * security keys, managed from Edit Profile after signing in. Adding one asks for the current
 * password (like replacing the authenticator app) and is a ceremony bound to this session; the
 * key is kept with the admin as its owner, and only they see it.
 */

/** Where the panel is: the page's origin and its host name (the RP ID), and the name shown. */
export interface RelyingParty {
  rpId: string;
  rpName: string;
  origin: string;
}

function ownerOf(ctx: ProfileContext): CredentialOwner {
  const admin = ctx.session.admin;
  return { kind: "admin", adminId: admin.id, accountId: admin.account_id };
}

function summaryOf(key: StoredWebAuthnCredential): WebAuthnSummary {
  return toWebAuthnSummary({
    id: key.id,
    credential_name: key.credentialName,
    label: key.label,
    device_type: key.deviceType,
    created_at: key.createdAt,
    last_used_at: key.lastUsedAt,
  });
}

export async function listOwnSecurityKeys(ctx: ProfileContext): Promise<WebAuthnSummary[]> {
  return (await credentialsOfOwner(ctx.handle.db, ownerOf(ctx))).map(summaryOf);
}

/** Step 1: the current password, then options for the browser; the challenge waits in this session. */
export async function startSecurityKeyRegistration(
  ctx: ProfileContext,
  input: { currentPassword: string; relyingParty: RelyingParty },
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const admin = ctx.session.admin;
  await confirmCurrentPassword(admin, input.currentPassword);
  const existing = await credentialsOfOwner(ctx.handle.db, ownerOf(ctx));
  const { options, challenge } = await registrationOptions({
    rpId: input.relyingParty.rpId,
    rpName: input.relyingParty.rpName,
    userId: admin.id,
    userName: admin.email,
    displayName: admin.name,
    excludeCredentialIds: existing.map((key) => key.credentialId),
    // The password is the first factor: the key proves possession; a PIN is welcome, not required.
    userVerification: "preferred",
  });
  await putChallenge(ctx.handle.db, {
    sessionIdHash: ctx.session.idHash,
    purpose: "register",
    challenge,
    now: new Date(),
  });
  return options;
}

/** Why a new key was refused, in words (the field at fault is the browser's `response`). */
const REGISTRATION_REFUSED: Record<
  Exclude<WebAuthnRefusal, "counter" | "unknown_credential">,
  string
> = {
  challenge: "this request to add a security key has expired or was already used; start again",
  origin: "the security key answered for another site; open the panel at its usual address",
  user_verification: "the security key did not confirm that you were there; try again",
  signature: "the security key's answer could not be verified; try again",
  malformed: "the browser's answer is not a security key registration; try again",
};

/**
 * Step 2: the browser's answer, checked against this session's challenge (taken first, so it is
 * used once whatever the outcome), then the key is kept with an audit record (R-AUD-1).
 */
export async function finishSecurityKeyRegistration(
  ctx: ProfileContext,
  input: { response: unknown; label: string; relyingParty: RelyingParty },
): Promise<WebAuthnSummary> {
  const challenge = await takeChallenge(ctx.handle.db, {
    sessionIdHash: ctx.session.idHash,
    purpose: "register",
    now: new Date(),
  });
  if (!challenge) throw new Invalid("response", REGISTRATION_REFUSED.challenge);
  const verdict = await checkRegistration({
    response: input.response,
    expectedChallenge: challenge,
    expectedOrigin: input.relyingParty.origin,
    rpId: input.relyingParty.rpId,
    requireUserVerification: false,
  });
  if (!verdict.ok) throw new Invalid("response", REGISTRATION_REFUSED[verdict.reason]);
  const added = await ctx.handle.db.transaction().execute((tx) =>
    addCredential(tx, {
      owner: ownerOf(ctx),
      credential: verdict.credential,
      label: input.label,
      by: { actor: actorOf(ctx.session.admin), client: ctx.client },
    }),
  );
  return summaryOf(added);
}

export async function renameOwnSecurityKey(
  ctx: ProfileContext,
  input: { id: string; label: string },
): Promise<WebAuthnSummary> {
  await ctx.handle.db.transaction().execute((tx) =>
    renameCredential(tx, {
      id: input.id,
      owner: ownerOf(ctx),
      label: input.label,
      by: { actor: actorOf(ctx.session.admin), client: ctx.client },
    }),
  );
  const key = (await credentialsOfOwner(ctx.handle.db, ownerOf(ctx))).find(
    (row) => row.id === input.id,
  );
  if (!key) throw new Error("a key just renamed is there");
  return summaryOf(key);
}

/**
 * Removes one of the admin's own keys. R-ADM-3: sign-in always takes a second factor, so the last
 * key goes only while the admin still has an authenticator app; the check and the removal hold
 * the admin's row, so two removals at once cannot both take "not the last".
 */
export async function removeOwnSecurityKey(ctx: ProfileContext, id: string): Promise<void> {
  await ctx.handle.db.transaction().execute(async (tx) => {
    const admin = await tx
      .selectFrom("admins")
      .select(["id", "totp_secret_enc"])
      .where("id", "=", ctx.session.admin.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const keys = await credentialsOfOwner(tx, ownerOf(ctx));
    const lastFactor = keys.length === 1 && keys[0]?.id === id && admin.totp_secret_enc === null;
    if (lastFactor)
      throw new Conflict(
        "This is your only second factor: set up an authenticator app before removing it",
        "R-ADM-3",
        "id",
      );
    await removeCredential(tx, {
      id,
      owner: ownerOf(ctx),
      by: { actor: actorOf(ctx.session.admin), client: ctx.client },
    });
  });
}
