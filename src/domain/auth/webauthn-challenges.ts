import { WEBAUTHN_CEREMONY_MS } from "../../authn/webauthn.js";
import type { Executor } from "../../db/executor.js";

/**
 * R-ADM-3: the challenge of an administrator's WebAuthn ceremony, kept on the server and bound to
 * the session that asked for it (0010_webauthn.sql): a new one replaces the last of its purpose,
 * taking it is a delete (so it is used once, even by two requests at once), and it lasts as long
 * as the browser's ceremony may.
 */
export type CeremonyPurpose = "register" | "sign_in";

export async function putChallenge(
  executor: Executor,
  input: { sessionIdHash: string; purpose: CeremonyPurpose; challenge: string; now: Date },
): Promise<void> {
  const expiresAt = new Date(input.now.getTime() + WEBAUTHN_CEREMONY_MS);
  await executor
    .insertInto("admin_webauthn_challenges")
    .values({
      session_id_hash: input.sessionIdHash,
      purpose: input.purpose,
      challenge: input.challenge,
      expires_at: expiresAt,
    })
    .onConflict((oc) =>
      oc
        .columns(["session_id_hash", "purpose"])
        .doUpdateSet({ challenge: input.challenge, expires_at: expiresAt }),
    )
    .execute();
}

/** The session's challenge for `purpose`, removed as it is read; undefined when none is live. */
export async function takeChallenge(
  executor: Executor,
  input: { sessionIdHash: string; purpose: CeremonyPurpose; now: Date },
): Promise<string | undefined> {
  const taken = await executor
    .deleteFrom("admin_webauthn_challenges")
    .where("session_id_hash", "=", input.sessionIdHash)
    .where("purpose", "=", input.purpose)
    .returning(["challenge", "expires_at"])
    .executeTakeFirst();
  return taken && new Date(taken.expires_at) > input.now ? taken.challenge : undefined;
}
