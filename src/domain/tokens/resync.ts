import * as OTPAuth from "otpauth";
import type { UseCaseContext } from "../context.js";
import { Invalid } from "../errors.js";
import { digitsOf, HOTP_TYPES, type TokenSecret } from "./fields.js";
import { tokenName, visibleToken } from "./view.js";

/** How far past the stored counter a resync looks for the three codes. */
export const RESYNC_LOOKAHEAD = 1000;

/** The HOTP codes (RFC 4226) of `secret` from `counter`, `count` of them. */
export function hotpCodes(
  secretHex: string,
  digits: number,
  counter: number,
  count: number,
): string[] {
  const secret = OTPAuth.Secret.fromHex(secretHex);
  return Array.from({ length: count }, (_, i) =>
    OTPAuth.HOTP.generate({ secret, algorithm: "SHA1", digits, counter: counter + i }),
  );
}

/**
 * Resync an HOTP token (research/duo-api.md §4.4 POST /tokens/{id}/resync; tokens:update "edit or
 * resync a hardware token"): the holder presses the button three times; the three consecutive codes
 * are looked for in the next RESYNC_LOOKAHEAD counters, and the counter moves past the last one.
 * Codes that are not found change nothing. One audit record with the counter before and after.
 */
export async function resyncToken(
  ctx: UseCaseContext,
  id: string,
  codes: [string, string, string],
): Promise<void> {
  const { row } = await visibleToken(ctx, id, "tokens:update");
  if (!HOTP_TYPES.includes(row.type))
    throw new Invalid(
      "token_id",
      `only HOTP tokens (${HOTP_TYPES.join(", ")}) have a counter to resync`,
    );
  const digits = digitsOf(row.type);
  codes.forEach((code, i) => {
    if (!new RegExp(`^[0-9]{${digits}}$`).test(code))
      throw new Invalid(`code${i + 1}`, `must be the token's ${digits}-digit code`);
  });
  const stored = await ctx.tx
    .selectFrom("hardware_tokens")
    .select(["counter", "secret_enc"])
    .where("id", "=", id)
    .where("account_id", "=", ctx.accountId)
    .executeTakeFirstOrThrow();
  const counter = stored.counter ?? 0;
  const sealed = stored.secret_enc;
  if (sealed === null) throw new Error("an HOTP token keeps its secret");
  const secret = JSON.parse(ctx.services.secrets.open(sealed, id)) as TokenSecret;
  if (!("secret" in secret)) throw new Error("an HOTP token's secret is an OTP secret");
  const window = hotpCodes(secret.secret, digits, counter, RESYNC_LOOKAHEAD + 2);
  const at = window.findIndex(
    (code, i) => code === codes[0] && window[i + 1] === codes[1] && window[i + 2] === codes[2],
  );
  if (at < 0)
    throw new Invalid(
      "code1",
      `these are not three consecutive codes of this token within its next ${RESYNC_LOOKAHEAD}`,
    );
  const next = counter + at + 3;
  await ctx.tx
    .updateTable("hardware_tokens")
    .set({ counter: next })
    .where("id", "=", id)
    .where("account_id", "=", ctx.accountId)
    .execute();
  await ctx.audit({
    action: "token_resync",
    object: { kind: "hardware_token", id, name: tokenName(row) },
    before: { counter },
    after: { counter: next },
  });
}
