import { newId } from "../../db/ids.js";
import type { UseCaseContext } from "../context.js";
import { Conflict, Invalid } from "../errors.js";
import { visibleUser } from "../users/view.js";
import {
  GIVEN_CODE,
  isBypassCode,
  MAX_CODES_PER_REQUEST,
  newBypassCode,
  sealBypassCode,
} from "./codes.js";
import {
  BYPASS_CODE_COLUMNS,
  type BypassCodeView,
  bypassCodesOf,
  toBypassCodeView,
} from "./view.js";

/** At most ten years: a longer validity is a mistake, not a plan. */
export const MAX_VALID_SECS = 10 * 365 * 24 * 3600;
/** Uses of one code at most (0 = any number of times). */
export const MAX_REUSE_COUNT = 1000;

/** research/duo-api.md §4.1 POST /users/{id}/bypass_codes, in the use case's names. */
export interface BypassCodeRequest {
  /** How many codes to generate, 1..10 (default 10); not with `codes`. */
  count?: number;
  /** The codes to set, 1..10 of 6..20 digits; not with `count`. */
  codes?: string[];
  /** Seconds until the codes expire; 0 or absent: never. */
  validSecs?: number;
  /** How many times each code may be used (default 1); 0 = any number of times. */
  reuseCount?: number;
  /** Keep the user's existing codes; by default they are replaced. */
  preserveExisting?: boolean;
}

/** A created code: its view, and the code itself, which is shown this once and never again. */
export type CreatedBypassCode = BypassCodeView & { code: string };

function wholeNumber(field: string, value: number | undefined, min: number, max: number) {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Invalid(field, `must be a whole number between ${min} and ${max}`);
}

function checkRequest(request: BypassCodeRequest): void {
  if (request.count !== undefined && request.codes !== undefined)
    throw new Invalid("codes", "give either count or codes, not both");
  wholeNumber("count", request.count, 1, MAX_CODES_PER_REQUEST);
  wholeNumber("valid_secs", request.validSecs, 0, MAX_VALID_SECS);
  wholeNumber("reuse_count", request.reuseCount, 0, MAX_REUSE_COUNT);
  const codes = request.codes;
  if (codes === undefined) return;
  if (codes.length < 1 || codes.length > MAX_CODES_PER_REQUEST)
    throw new Invalid("codes", `must list 1 to ${MAX_CODES_PER_REQUEST} codes`);
  if (!codes.every((code) => GIVEN_CODE.test(code)))
    throw new Invalid("codes", "each code must be 6 to 20 digits");
  if (new Set(codes).size !== codes.length)
    throw new Invalid("codes", "each code may be given only once");
}

/**
 * Create bypass codes for a user (R-ROLE-2 "Manage 2FA devices and bypass codes"): only for a user
 * the caller may see (R-UNIT-8a, R-UNIT-8f: out-of-scope users are not found); the engine decides
 * R-ROLE-4 for Help Desk from the expiration asked for ("limit": at most helpdesk_bypass_expiration
 * minutes, "deny": never). Unless `preserveExisting`, the user's codes are replaced. The plain codes
 * are returned this once; only salted hashes are stored, and the audit record never holds a code.
 */
export async function createBypassCodes(
  ctx: UseCaseContext,
  userId: string,
  request: BypassCodeRequest,
): Promise<CreatedBypassCode[]> {
  checkRequest(request);
  const { row: user, object } = await visibleUser(ctx, userId);
  const validSecs = request.validSecs ?? 0;
  ctx.authorize("bypass_codes:create", {
    object,
    bypassExpirationMinutes: validSecs === 0 ? null : validSecs / 60,
  });

  const replaced = request.preserveExisting
    ? []
    : await ctx.tx
        .deleteFrom("bypass_codes")
        .where("user_id", "=", userId)
        .where("account_id", "=", ctx.accountId)
        .returning("id")
        .execute();
  const kept = request.preserveExisting
    ? await ctx.tx
        .selectFrom("bypass_codes")
        .select(["salt", "code_hash"])
        .where("user_id", "=", userId)
        .where("account_id", "=", ctx.accountId)
        .execute()
    : [];
  const taken = (code: string) => kept.some((row) => isBypassCode(code, row));
  if (request.codes?.some(taken))
    throw new Conflict(
      "one of the codes is already a bypass code of this user",
      undefined,
      "codes",
    );
  const codes = request.codes ?? [];
  while (request.codes === undefined && codes.length < (request.count ?? MAX_CODES_PER_REQUEST)) {
    const code = newBypassCode();
    if (!codes.includes(code) && !taken(code)) codes.push(code);
  }

  // Both instants from one clock, so the expiry is exactly validSecs after creation.
  const createdAt = new Date();
  const expiresAt = validSecs === 0 ? null : new Date(createdAt.getTime() + validSecs * 1000);
  const reuseCount = request.reuseCount ?? 1;
  const principal = ctx.caller.principal;
  const ids = codes.map(() => newId("bypassCode"));
  await ctx.tx
    .insertInto("bypass_codes")
    .values(
      codes.map((code, i) => ({
        id: ids[i] as string,
        account_id: ctx.accountId,
        user_id: userId,
        ...sealBypassCode(code),
        reuse_count: reuseCount,
        remaining_uses: reuseCount === 0 ? null : reuseCount,
        created_by_admin_id: principal.kind === "admin" ? principal.adminId : null,
        created_by: ctx.caller.actor.name ?? "System",
        created_at: createdAt,
        expires_at: expiresAt,
      })),
    )
    .execute();
  await ctx.audit({
    action: "bypass_create",
    object: { kind: "user", id: userId, name: user.username },
    after: {
      bypass_code_ids: ids,
      count: ids.length,
      given: request.codes !== undefined,
      expires_at: expiresAt?.toISOString() ?? null,
      reuse_count: reuseCount,
      preserve_existing: request.preserveExisting ?? false,
      replaced_bypass_code_ids: replaced.map((row) => row.id),
    },
  });
  const rows = await bypassCodesOf(ctx)
    .select(BYPASS_CODE_COLUMNS)
    .where("b.id", "in", ids)
    .execute();
  const byId = new Map(rows.map((row) => [row.id, toBypassCodeView(row)]));
  return ids.map((id, i) => {
    const view = byId.get(id);
    if (!view) throw new Error("a code inserted in this transaction is read back");
    return { ...view, code: codes[i] as string };
  });
}
