import type { FastifyPluginAsync } from "fastify";
import type { ThrottlePolicy } from "../domain/auth/throttle.js";
import { panelGuard } from "./auth/guard.js";
import { legacyAuthApi } from "./auth-api/legacy.js";
import { type AuthApiOptions, authApi } from "./auth-api/plugin.js";
import { type DuoApiOptions, duoApi } from "./duo/plugin.js";
import { panelApi } from "./panel/index.js";
import { noStore } from "./plugins/security-headers.js";

/**
 * The panel's JSON API (registered at /api). Its guard (session, Origin, CSRF token) runs on
 * request, before any body is read: a forged request is a 403 whatever its body holds, and a
 * malformed body from a stranger is never parsed.
 */
export const panelDoor: FastifyPluginAsync<{ throttle: ThrottlePolicy }> = async (
  door,
  { throttle },
) => {
  door.addHook("onRequest", panelGuard);
  door.addHook("onSend", noStore);
  // Only its own options: the door's (its /api prefix) would be applied a second time.
  await door.register(panelApi, { throttle });
};

/** Duo's Admin and Accounts APIs: every answer is for one signed integration, never cached. */
export const duoDoor: FastifyPluginAsync<DuoApiOptions> = async (
  door,
  { apiHostnames, requestsPerSecond },
) => {
  door.addHook("onSend", noStore);
  await door.register(duoApi, { apiHostnames, requestsPerSecond });
};

/**
 * Duo's Auth API (/auth/v2) and its legacy form (/rest/v1, duo_unix before 2.2) for the
 * applications Gatehouse protects: every answer is about one user, never cached.
 */
export const authDoor: FastifyPluginAsync<AuthApiOptions> = async (door, options) => {
  door.addHook("onSend", noStore);
  await door.register(authApi, options);
  await door.register(legacyAuthApi, options);
};
