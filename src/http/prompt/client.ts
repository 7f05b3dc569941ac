import type { FastifyRequest } from "fastify";
import type { Executor } from "../../db/executor.js";
import type { SecretBox } from "../../db/secrets.js";
import { toAuthApplication } from "../../domain/authentication/application.js";
import type { AuthApplication } from "../../domain/authentication/log.js";
import { SecretKeyCache } from "../duo/authenticate.js";

/** The integration type whose applications use the hosted prompt (Duo's Web SDK). */
export const PROMPT_APPLICATION_TYPE = "websdk";

/** An application of the prompt's type, and its client secret, opened. */
export interface PromptClient {
  application: AuthApplication;
  secret: string;
}

const CLIENT_ID = /^DI[0-9A-Z]{18}$/;

/**
 * R-AUTH-1: the application a client_id names, when it is a Web SDK application; any other type's
 * key never reaches the prompt, and an unknown or malformed id is the same answer (null).
 */
export async function findPromptClient(
  executor: Executor,
  keys: { secrets: SecretBox; cache: SecretKeyCache },
  clientId: string | undefined,
): Promise<PromptClient | null> {
  if (clientId === undefined || !CLIENT_ID.test(clientId)) return null;
  const row = await executor
    .selectFrom("applications")
    .select(["id", "name", "account_id", "type", "secret_key_enc", "legacy_unix_clients"])
    .where("id", "=", clientId)
    .executeTakeFirst();
  if (!row || row.type !== PROMPT_APPLICATION_TYPE) return null;
  return {
    application: toAuthApplication(row),
    secret: keys.cache.open(keys.secrets, row.id, row.secret_key_enc),
  };
}

export function promptKeys(secrets: SecretBox): { secrets: SecretBox; cache: SecretKeyCache } {
  return { secrets, cache: new SecretKeyCache() };
}

/**
 * The base URLs an application may have signed its tokens for: the host it called (as Duo's SDKs
 * build https://<api host>) and the server's configured public names.
 */
export function baseUrlsOf(request: FastifyRequest, apiHostnames: readonly string[]): string[] {
  const hosts = new Set([request.headers.host ?? "", ...apiHostnames].filter(Boolean));
  return [...hosts].map((host) => `https://${host}`);
}
