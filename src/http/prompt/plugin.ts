import type { FastifyPluginAsync } from "fastify";
import { Invalid } from "../../domain/errors.js";
import { noStore } from "../plugins/security-headers.js";
import { parseFormText } from "../strict-decoding.js";
import { type OAuthOptions, oauthRoutes } from "./oauth-routes.js";
import { promptPages } from "./page-routes.js";

/** A form body at most this big: a security key's answer is the largest thing posted here. */
const FORM_LIMIT_BYTES = 32 * 1024;

/**
 * The hosted Universal Prompt (issue 15): Duo's /oauth/v1 protocol for Web SDK applications and
 * the pages the person logging in sees. Its own context: form bodies only, decoded strictly, and
 * nothing it answers is cached.
 */
export const promptDoor: FastifyPluginAsync<OAuthOptions> = async (door, options) => {
  door.removeAllContentTypeParsers();
  door.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "buffer", bodyLimit: FORM_LIMIT_BYTES },
    (_request, body, done) => {
      const parsed = parseFormText(body as Buffer);
      if (!parsed.ok) return done(new Invalid(parsed.bad.field, parsed.bad.why));
      done(null, parsed.value);
    },
  );
  door.addHook("onSend", noStore);
  await door.register(oauthRoutes, options);
  await door.register(promptPages);
};
