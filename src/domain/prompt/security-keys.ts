import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import {
  authenticationOptions,
  checkAuthentication,
  checkRegistration,
  credentialIdOf,
  registrationOptions,
} from "../../authn/webauthn.js";
import type { Executor } from "../../db/executor.js";
import type { RelyingParty } from "../auth/security-keys.js";
import type { AccessDevice } from "../authentication/log.js";
import { type AuthOutcome, MESSAGES } from "../authentication/outcome.js";
import { attemptRecords, oneStatement, recordAttempt } from "../authentication/record.js";
import type { Subject, SubjectUser } from "../authentication/subject.js";
import type { Services } from "../context.js";
import { Conflict, Invalid } from "../errors.js";
import { addCredential } from "../webauthn/add.js";
import { signCountUpdate } from "../webauthn/sign-count.js";
import {
  enrolledLogin,
  enrolledUser,
  inSetupPhase,
  logEnrollment,
  type SetupPhase,
} from "./enroll.js";
import type { PromptSession } from "./sessions.js";

/**
 * Issue 15 item 3 in the hosted prompt: logging in with a security key or passkey, and setting one
 * up (to enroll, or as another device). Each ceremony's challenge is kept in the prompt's session
 * and taken once; the verifier (src/authn/webauthn.ts) decides, and the session's user and the
 * application's relying party are what the answer is checked against.
 */

export const FACTOR = "webauthn_security_key";
const USER_VERIFICATION = "preferred" as const;

export const KEY_REFUSED =
  "Your security key's answer could not be checked. Try again, or log in another way.";
const NO_ANSWER =
  "Your browser did not answer with a security key. Try again, or log in another way.";

/** Keeps a ceremony's challenge in the session, replacing any earlier one. */
async function putChallenge(executor: Executor, session: PromptSession, challenge: string) {
  await executor
    .updateTable("prompt_sessions")
    .set({ webauthn_challenge: challenge })
    .where("id", "=", session.id)
    .execute();
}

/** Takes the session's challenge: one answer per ceremony, however many arrive. */
async function takeChallenge(executor: Executor, session: PromptSession): Promise<string | null> {
  const { rows } = await sql<{ challenge: string }>`
    update prompt_sessions s set webauthn_challenge = null
      from (select id, webauthn_challenge from prompt_sessions where id = ${session.id} for update) old
     where s.id = old.id and old.webauthn_challenge is not null
    returning old.webauthn_challenge as challenge`.execute(executor);
  return rows[0]?.challenge ?? null;
}

/** What the browser is asked for to log in: one of the user's keys, under a new challenge. */
export async function loginOptions(
  services: Services,
  session: PromptSession,
  user: SubjectUser,
  rp: RelyingParty,
): Promise<unknown> {
  if (user.security_keys.length === 0)
    throw new Invalid("response", "You have no security key set up. Log in another way.");
  const { options, challenge } = await authenticationOptions({
    rpId: rp.rpId,
    allowCredentialIds: user.security_keys.map((key) => key.credential_id),
    userVerification: USER_VERIFICATION,
  });
  await putChallenge(services.database.db, session, challenge);
  return options;
}

/** What the browser is asked for to set a key up for the session's user (known or yet to be). */
export async function setupOptions(
  services: Services,
  session: PromptSession,
  user: SubjectUser | null,
  rp: RelyingParty,
): Promise<unknown> {
  const { options, challenge } = await registrationOptions({
    rpId: rp.rpId,
    rpName: rp.rpName,
    // A user not created yet is named by the session: the handle only has to be stable here.
    userId: user?.id ?? session.id,
    userName: session.username,
    displayName: session.username,
    excludeCredentialIds: user?.security_keys.map((key) => key.credential_id) ?? [],
    userVerification: USER_VERIFICATION,
  });
  await putChallenge(services.database.db, session, challenge);
  return options;
}

function parsedAnswer(response: string): unknown {
  try {
    return JSON.parse(response);
  } catch {
    return undefined;
  }
}

/**
 * R-AUTH-2, R-AUTH-4: a login with one of the user's keys. Verified, the key's signature counter
 * moves (compare-and-set: of two uses of a cloned key with the same count, one passes), the
 * user's login is noted and the success logged, in one statement; refused, the refusal is logged
 * and the person may try again. A key's answer cannot be guessed, so a refusal is not counted
 * toward a lockout as a wrong passcode is.
 */
export async function keyLogin(
  services: Services,
  session: PromptSession,
  subject: Subject,
  user: SubjectUser,
  response: string,
  rp: RelyingParty,
  access: AccessDevice,
): Promise<AuthOutcome> {
  const db = services.database.db;
  const attempt = { application: session.application, subject, access, async: false };
  const challenge = await takeChallenge(db, session);
  const answer = parsedAnswer(response);
  if (challenge === null || answer === undefined) throw new Invalid("response", NO_ANSWER);
  const credentialId = credentialIdOf(answer);
  const key = user.security_keys.find((candidate) => candidate.credential_id === credentialId);
  const verdict = await checkAuthentication({
    response: answer,
    expectedChallenge: challenge,
    expectedOrigin: rp.origin,
    rpId: rp.rpId,
    credential: key && {
      credentialId: key.credential_id,
      publicKey: Buffer.from(key.public_key, "hex"),
      signCount: key.sign_count,
    },
    requireUserVerification: false,
  });
  const device = key ? { id: key.id, name: key.name } : null;
  const txid = randomUUID();
  if (verdict.ok && key) {
    const outcome: AuthOutcome = {
      txid,
      result: "allow",
      status: "allow",
      status_msg: MESSAGES.allow,
      logged: { result: "success", reason: "user_approved" },
    };
    const { rows } = await oneStatement(
      [
        ["spent", signCountUpdate(key.credential_id, verdict.newSignCount)],
        [
          "done",
          sql`update users set failed_auth_attempts = 0, last_login_at = now()
            where id = ${user.id} and exists (select 1 from spent) returning id`,
        ],
      ],
      attemptRecords(attempt, outcome, user, FACTOR, device, "done"),
      sql`select (select count(*) from spent)::int as spent`,
    ).execute(db);
    if ((rows[0] as { spent: number }).spent === 1) return outcome;
  }
  const refused: AuthOutcome = {
    txid,
    result: "deny",
    status: "deny",
    status_msg: KEY_REFUSED,
    logged: { result: "denied", reason: "invalid_device" },
  };
  await recordAttempt(db, attempt, refused, user, FACTOR, device);
  return refused;
}

/**
 * A new key for the session's user, verified against the challenge the session holds: kept with
 * the user as its owner, its addition recorded as theirs (R-AUD-1) and logged as an enrollment
 * (R-AUTH-4), in the caller's transaction, while the session still stands in `phase`.
 */
export async function addKey(
  tx: Executor,
  session: PromptSession,
  user: { id: string; username: string; groups: readonly string[] },
  answer: { challenge: string; response: unknown },
  rp: RelyingParty,
  access: AccessDevice,
  phase: SetupPhase,
): Promise<{ id: string; name: string }> {
  const verdict = await checkRegistration({
    response: answer.response,
    expectedChallenge: answer.challenge,
    expectedOrigin: rp.origin,
    rpId: rp.rpId,
    requireUserVerification: false,
  });
  if (!verdict.ok) throw new Invalid("response", KEY_REFUSED);
  const still = await tx
    .selectFrom("prompt_sessions")
    .select("id")
    .where("id", "=", session.id)
    .where((eb) => inSetupPhase(eb, phase))
    .executeTakeFirst();
  if (!still) throw new Conflict("This login is already finished. Go back to the application.");
  const accountId = session.application.accountId;
  const stored = await addCredential(tx, {
    owner: { kind: "user", userId: user.id, accountId },
    credential: verdict.credential,
    by: { actor: { kind: "system", name: `${user.username} (self-service)` } },
  });
  await logEnrollment(
    tx,
    session,
    user,
    { id: stored.id, name: stored.credentialName, factor: FACTOR },
    access,
  );
  return { id: stored.id, name: stored.credentialName };
}

/** The challenge and the browser's answer of a setup ceremony, or a refusal naming the answer. */
export async function setupAnswer(
  executor: Executor,
  session: PromptSession,
  response: string,
): Promise<{ challenge: string; response: unknown }> {
  const challenge = await takeChallenge(executor, session);
  const answer = parsedAnswer(response);
  if (challenge === null || answer === undefined) throw new Invalid("response", NO_ANSWER);
  return { challenge, response: answer };
}

/**
 * Issue 15 items 3 and 4: a person with nothing set up, where the account requires enrollment,
 * sets up a security key or passkey; proving it was their second factor, so the prompt ends
 * allowed. The user is created when Gatehouse does not know them yet. One transaction.
 */
export async function enrollWithKey(
  services: Services,
  session: PromptSession,
  subject: Subject,
  response: string,
  rp: RelyingParty,
  access: AccessDevice,
  now = new Date(),
): Promise<string> {
  const db = services.database.db;
  const answer = await setupAnswer(db, session, response);
  return db.transaction().execute(async (tx) => {
    const user = await enrolledUser(tx, session, subject, now);
    const key = await addKey(tx, session, user, answer, rp, access, "enroll");
    return enrolledLogin(
      tx,
      session,
      user,
      { device: key, factor: FACTOR, reason: "user_approved" },
      access,
      now,
    );
  });
}

/** Issue 15 item 4: after proving a factor, a person adds a security key or passkey of their own. */
export async function addOwnKey(
  services: Services,
  session: PromptSession,
  user: SubjectUser,
  response: string,
  rp: RelyingParty,
  access: AccessDevice,
): Promise<void> {
  const db = services.database.db;
  const answer = await setupAnswer(db, session, response);
  await db.transaction().execute((tx) => addKey(tx, session, user, answer, rp, access, "manage"));
}
