import { errors, type JWTPayload, jwtVerify, SignJWT } from "jose";

/**
 * The JSON Web Tokens of Duo's Universal Prompt protocol (research/auth-protocols.md §3), all HS512
 * under the application's client secret: the request object an application sends to authorize,
 * the client assertions it proves itself with at health_check and token, and the id_token
 * Gatehouse answers. Verification never throws: a failure is a reason a door can name.
 */
const ALGORITHM = "HS512";
/** Duo's SDKs allow 60 s of clock skew; Gatehouse allows the same the other way. */
const CLOCK_TOLERANCE_S = 60;
/** The SDKs sign for 300 s; a token claiming far longer is not one of theirs. */
const MAX_LIFETIME_S = 600;
const ID_TOKEN_LIFETIME_S = 300;

export type JwtCheck<T> = { ok: true; claims: T } | { ok: false; why: string };

function keyOf(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/** Why a token failed, in words an application's developer can act on. */
function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "the token has expired";
  if (error instanceof errors.JWTClaimValidationFailed)
    return `the token's ${error.claim} claim is wrong`;
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return "the token's signature does not verify with the client secret";
  if (error instanceof errors.JOSEAlgNotAllowed) return "the token must be signed with HS512";
  return "the token is not a well-formed signed JWT";
}

async function verify(
  token: string,
  secret: string,
  audience: readonly string[],
  issuer: string,
): Promise<JwtCheck<JWTPayload>> {
  try {
    const { payload } = await jwtVerify(token, keyOf(secret), {
      algorithms: [ALGORITHM],
      audience: [...audience],
      issuer,
      requiredClaims: ["exp"],
      clockTolerance: CLOCK_TOLERANCE_S,
    });
    const now = Math.floor(Date.now() / 1000);
    if ((payload.exp ?? 0) > now + MAX_LIFETIME_S + CLOCK_TOLERANCE_S)
      return {
        ok: false,
        why: "the token's exp claim is further ahead than Duo's clients sign for",
      };
    return { ok: true, claims: payload };
  } catch (error) {
    return { ok: false, why: reasonOf(error) };
  }
}

/** What an application asks for at /oauth/v1/authorize (research/auth-protocols.md §3.3). */
export interface RequestObject {
  redirectUri: string;
  state: string;
  username: string;
  useDuoCode: boolean;
}

/**
 * The request object: signed by the application (iss = client_id), for this server (aud = one of
 * its base URLs), naming what the query string names, with a state of 22 to 1024 characters and
 * a username. Duo's SDK sends no iat, nonce or jti, so none is demanded.
 */
export async function verifyRequestObject(
  token: string,
  secret: string,
  expected: { clientId: string; redirectUri: string; audiences: readonly string[] },
): Promise<JwtCheck<RequestObject>> {
  const checked = await verify(token, secret, expected.audiences, expected.clientId);
  if (!checked.ok) return checked;
  const claims = checked.claims;
  const text = (name: string) => (typeof claims[name] === "string" ? (claims[name] as string) : "");
  if (text("response_type") !== "code")
    return { ok: false, why: "the request's response_type must be code" };
  if (!text("scope").split(" ").includes("openid"))
    return { ok: false, why: "the request's scope must include openid" };
  if (text("client_id") !== expected.clientId)
    return { ok: false, why: "the request's client_id is not the one in the query" };
  if (text("redirect_uri") !== expected.redirectUri)
    return { ok: false, why: "the request's redirect_uri is not the one in the query" };
  const state = text("state");
  if (state.length < 22 || state.length > 1024)
    return { ok: false, why: "the request's state must be 22 to 1024 characters" };
  const username = text("duo_uname");
  if (username.length === 0 || username.length > 300)
    return { ok: false, why: "the request's duo_uname must name a user (at most 300 characters)" };
  const useDuoCode = claims.use_duo_code_attribute;
  if (useDuoCode !== undefined && typeof useDuoCode !== "boolean")
    return { ok: false, why: "the request's use_duo_code_attribute must be true or false" };
  return {
    ok: true,
    claims: { redirectUri: text("redirect_uri"), state, username, useDuoCode: useDuoCode ?? true },
  };
}

/**
 * A client assertion (RFC 7523, as Duo's SDKs make it for health_check and token): issued by the
 * application about itself (iss = sub = client_id), for exactly this endpoint.
 */
export async function verifyClientAssertion(
  token: string,
  secret: string,
  expected: { clientId: string; audiences: readonly string[] },
): Promise<JwtCheck<JWTPayload>> {
  const checked = await verify(token, secret, expected.audiences, expected.clientId);
  if (!checked.ok) return checked;
  if (checked.claims.sub !== expected.clientId)
    return { ok: false, why: "the assertion's sub claim must be the client_id" };
  return checked;
}

/** The id_token the token endpoint answers, signed for the application (aud = client_id). */
export function signIdToken(
  secret: string,
  claims: Record<string, unknown>,
  header: { issuer: string; audience: string; subject: string },
  now = new Date(),
): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: ALGORITHM, typ: "JWT" })
    .setIssuer(header.issuer)
    .setAudience(header.audience)
    .setSubject(header.subject)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ID_TOKEN_LIFETIME_S)
    .sign(keyOf(secret));
}
