import { type RawBuilder, sql } from "kysely";

/**
 * R-AUTH-2: the statement that records a verified WebAuthn authentication: the new signature
 * counter and `last_used_at`, as a compare-and-set. It changes the row only while the stored
 * counter is still below the new one (or the authenticator keeps no counter, 0), so of two uses of
 * a cloned key racing with the same count only one can pass: the other's statement returns no row,
 * and its caller refuses it as a `counter` failure. A RawBuilder, so that a caller can run it in
 * its own transaction or put it in one statement with its authentication-log entry (a CTE).
 *
 * `credentialId` is the browser's credential id (base64url, unique across accounts), as
 * credentialIdOf(response) gives it. Returns the credential's `id` (webauthnkey) when it was
 * recorded.
 */
export function signCountUpdate(
  credentialId: string,
  newSignCount: number,
): RawBuilder<{ id: string }> {
  return sql<{ id: string }>`
    update webauthn_credentials
       set sign_count = greatest(sign_count, ${newSignCount}::bigint), last_used_at = now()
     where credential_id = ${credentialId}
       and (${newSignCount}::bigint = 0 or sign_count < ${newSignCount}::bigint)
    returning id`;
}
