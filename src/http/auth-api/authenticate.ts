import type { Executor } from "../../db/executor.js";
import type { SecretBox } from "../../db/secrets.js";
import { type ApplicationRow, toAuthApplication } from "../../domain/authentication/application.js";
import type { AuthApplication } from "../../domain/authentication/log.js";
import {
  loadSubjectWithApplication,
  type Subject,
  type UserKey,
} from "../../domain/authentication/subject.js";
import {
  AUTH_API_TYPES,
  parseAuthorization,
  type ReceivedRequest,
  requireType,
  type SecretKeyCache,
  verifySignature,
} from "../duo/authenticate.js";
import { DuoError } from "../duo/errors.js";

export type Keys = { secrets: SecretBox; cache: SecretKeyCache };

/** The integration key's application, whatever its type (each door decides what it accepts). */
export async function applicationOf(
  executor: Executor,
  authorization: string | string[] | undefined,
): Promise<{ row: ApplicationRow; signature: string }> {
  const credentials = parseAuthorization(authorization);
  const row = await executor
    .selectFrom("applications")
    .select(["id", "name", "account_id", "type", "secret_key_enc", "legacy_unix_clients"])
    .where("id", "=", credentials.ikey)
    .executeTakeFirst();
  if (!row) throw new DuoError(401, 40102, "Invalid integration key in request credentials");
  return { row, signature: credentials.signature };
}

/**
 * The row each integration key last authenticated with, kept so that `check` can answer while the
 * database is slow (issue 14 item 7: clients call it to decide whether to apply their fail mode).
 * Bounded: the oldest entry goes when full.
 */
export class RecentApplications {
  readonly #rows = new Map<string, ApplicationRow>();

  constructor(private readonly size = 10_000) {}

  remember(row: ApplicationRow): void {
    this.#rows.delete(row.id);
    if (this.#rows.size >= this.size) this.#rows.delete(this.#rows.keys().next().value as string);
    this.#rows.set(row.id, row);
  }

  get(ikey: string): ApplicationRow | undefined {
    return this.#rows.get(ikey);
  }
}

export interface AuthenticationOptions {
  recent: RecentApplications;
  /**
   * Only for `check`: after this many milliseconds without the database's answer, verify against
   * the row the key last authenticated with. `check` grants nothing, so an answer from a row a
   * moment old is worth more to a client deciding on its fail mode than a timeout.
   */
  databasePatienceMs?: number;
}

async function applicationWithPatience(
  executor: Executor,
  authorization: string | string[] | undefined,
  options: AuthenticationOptions,
): Promise<{ row: ApplicationRow; signature: string }> {
  const { ikey, signature } = parseAuthorization(authorization);
  const lookup = applicationOf(executor, authorization);
  const patience = options.databasePatienceMs;
  const remembered = options.recent.get(ikey);
  if (patience === undefined || remembered === undefined) return lookup;
  // The lookup goes on after the race is decided: its failure then is nobody's to handle.
  lookup.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<{ row: ApplicationRow; signature: string }>((resolve) => {
    timer = setTimeout(() => resolve({ row: remembered, signature }), patience);
  });
  try {
    return await Promise.race([lookup, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * research/duo-api.md §7 on §1.8's steps: the Auth API (/auth/v2) takes an Auth API or Unix
 * application's key (R-AUTH-1), signed as the Admin API is (v2 with SHA-1 or SHA-512, v4, v5),
 * with a date within the skew.
 */
export async function authenticateApplication(
  executor: Executor,
  keys: Keys,
  request: ReceivedRequest,
  options: AuthenticationOptions,
  now = Date.now(),
): Promise<AuthApplication> {
  const { row, signature } = await applicationWithPatience(
    executor,
    request.headers.authorization,
    options,
  );
  verifySignature(keys, row, signature, request, now);
  requireType(row, AUTH_API_TYPES, "the Auth API");
  options.recent.remember(row);
  return toAuthApplication(row);
}

/**
 * authenticateApplication for a route that names a user: the application and the subject are
 * read in one statement, and the subject is handed on only once the signature checks out against
 * the application read with it.
 */
export async function authenticateWithSubject(
  executor: Executor,
  keys: Keys,
  request: ReceivedRequest,
  key: UserKey,
  now = Date.now(),
): Promise<{ application: ApplicationRow; subject: Subject }> {
  const { ikey, signature } = parseAuthorization(request.headers.authorization);
  const found = await loadSubjectWithApplication(executor, ikey, key);
  if (!found) throw new DuoError(401, 40102, "Invalid integration key in request credentials");
  verifySignature(keys, found.application, signature, request, now);
  requireType(found.application, AUTH_API_TYPES, "the Auth API");
  return found;
}
