import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import {
  authenticationOptions,
  checkAuthentication,
  credentialIdOf,
} from "../../authn/webauthn.js";
import { recordAction } from "../audit.js";
import { Unauthorized } from "../errors.js";
import type { CredentialOwner } from "../webauthn/owner.js";
import { signCountUpdate } from "../webauthn/sign-count.js";
import { credentialsOfOwner } from "../webauthn/stored.js";
import { actorOf, objectOf, recordSignInFailure } from "./failures.js";
import type { RelyingParty } from "./security-keys.js";
import { createSession, type LiveSession, type NewSession, revokeSession } from "./sessions.js";
import { refusalReason, type SignInContext } from "./sign-in.js";
import { consumeSignInAttempt } from "./throttle.js";
import { putChallenge, takeChallenge } from "./webauthn-challenges.js";

/**
 * R-ADM-3: the second sign-in step with a WebAuthn security key instead of the authenticator app's
 * code, for an admin who has one. Everything else is the code's step (sign-in.ts): the attempt is
 * throttled per address, status and lockout decide first, a refused key counts towards the lockout
 * like a wrong code and is logged with which check failed (R-ADM-4), and success rotates the
 * session. The challenge is this half-signed-in session's, used once.
 */

export const SECURITY_KEY_FAILED = "The security key was not accepted. Try again, or use a code.";

function ownerOf(admin: LiveSession["admin"]): CredentialOwner {
  return { kind: "admin", adminId: admin.id, accountId: admin.account_id };
}

/**
 * Options for the browser's navigator.credentials.get(), naming the admin's keys, with a fresh
 * challenge kept in the session; null when the admin has no key (the page then offers only the code).
 */
export async function securityKeySignInOptions(
  ctx: SignInContext,
  session: LiveSession,
  relyingParty: RelyingParty,
): Promise<PublicKeyCredentialRequestOptionsJSON | null> {
  const keys = await credentialsOfOwner(ctx.handle.db, ownerOf(session.admin));
  if (keys.length === 0) return null;
  const { options, challenge } = await authenticationOptions({
    rpId: relyingParty.rpId,
    allowCredentialIds: keys.map((key) => key.credentialId),
    userVerification: "preferred",
  });
  await putChallenge(ctx.handle.db, {
    sessionIdHash: session.idHash,
    purpose: "sign_in",
    challenge,
    now: ctx.now ?? new Date(),
  });
  return options;
}

/** The browser's answer: a right one signs the admin in on a new session, like a right code. */
export async function verifySecurityKeySignIn(
  ctx: SignInContext,
  session: LiveSession,
  relyingParty: RelyingParty,
  response: unknown,
): Promise<NewSession> {
  const now = ctx.now ?? new Date();
  const outcome = await ctx.handle.db.transaction().execute(async (tx) => {
    await consumeSignInAttempt(tx, ctx.client.ip, ctx.throttle, now);
    const admin = await tx
      .selectFrom("admins")
      .selectAll()
      .where("id", "=", session.admin.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const challenge = await takeChallenge(tx, {
      sessionIdHash: session.idHash,
      purpose: "sign_in",
      now,
    });
    const refusal = await refusalReason(tx, admin, now);
    if (refusal) {
      await revokeSession(tx, session.idHash);
      await recordSignInFailure(tx, { admin, reason: refusal, client: ctx.client, now });
      return undefined;
    }
    const keys = await credentialsOfOwner(tx, ownerOf(admin));
    const named = credentialIdOf(response);
    const key = keys.find((candidate) => candidate.credentialId === named);
    const verdict = challenge
      ? await checkAuthentication({
          response,
          expectedChallenge: challenge,
          expectedOrigin: relyingParty.origin,
          rpId: relyingParty.rpId,
          credential: key,
          requireUserVerification: false,
        })
      : ({ ok: false, reason: "challenge" } as const);
    // R-AUTH-2: the counter moves only if no other use of this key got there first.
    const recorded =
      verdict.ok && key
        ? (await signCountUpdate(key.credentialId, verdict.newSignCount).execute(tx)).rows.length
        : 0;
    if (!verdict.ok || recorded === 0) {
      await recordSignInFailure(tx, {
        admin,
        reason: "wrong security key",
        client: ctx.client,
        now,
        detail: {
          webauthn: verdict.ok ? "counter" : verdict.reason,
          ...(key ? { webauthnkey: key.id } : {}),
        },
      });
      return undefined;
    }
    await tx
      .updateTable("admins")
      .set({ failed_sign_ins: 0, locked_until: null, last_sign_in_at: now })
      .where("id", "=", admin.id)
      .execute();
    await revokeSession(tx, session.idHash);
    const signedIn = await createSession(tx, { admin, stage: "active", client: ctx.client, now });
    await recordAction(tx, {
      accountId: admin.account_id,
      actor: actorOf(admin),
      action: "admin_login",
      object: objectOf(admin),
      after: { factor: "webauthn", webauthnkey: key?.id },
      ip: ctx.client.ip,
      userAgent: ctx.client.userAgent,
    });
    return signedIn;
  });
  if (!outcome) throw new Unauthorized(SECURITY_KEY_FAILED);
  return outcome;
}
