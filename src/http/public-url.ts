import type { FastifyRequest } from "fastify";

/** Where admins reach the server: the configured public URL (`serve` always sets one); a request's own origin only in tests. */
export function publicUrlOf(request: FastifyRequest): string {
  return request.server.publicUrl ?? `${request.protocol}://${request.host}`;
}

/**
 * The host Duo clients are given as `api_hostname`: the public URL's host name without any port (a
 * client's API hostname carries none); a client reaching a non-default port is set up with it
 * separately.
 */
export function apiHostname(publicUrl: string): string {
  return new URL(publicUrl).hostname;
}
