import type { FastifyRequest } from "fastify";

/** The cookie that binds a prompt to the browser that opened it (src/domain/prompt/sessions.ts). */
export const BROWSER_COOKIE = "gatehouse_prompt";

/**
 * HttpOnly, sent only to the prompt's pages, SameSite=Lax so that the application's redirect to
 * authorize (a top-level navigation) sets it; Secure over HTTPS. It lives as long as the prompt.
 */
export function browserCookieOptions(request: FastifyRequest, expires: Date) {
  return {
    path: "/prompt/",
    httpOnly: true,
    sameSite: "lax" as const,
    secure: request.protocol === "https",
    expires,
  };
}

/** The cookie that remembers this browser for one application ("Remember me"), one per application. */
export function rememberCookieName(applicationId: string): string {
  return `gatehouse_remember_${applicationId}`;
}

/** As the prompt's cookie, but lasting the account's "Remember me" days. */
export const rememberCookieOptions = browserCookieOptions;
