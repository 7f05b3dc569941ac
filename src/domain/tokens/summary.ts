import type { TokenType } from "./fields.js";

/**
 * A token's own columns and the shape they are shown in, without its users: the piece that both a
 * token's view (with its users) and a user's view (with its tokens) are built from, so that the
 * imports run one way, users -> tokens/summary <- tokens/view (issue 13 item 8).
 */

/** A hardware token as admins see it (research/duo-api.md §5 "token"): never its secret. */
export interface TokenSummary {
  id: string;
  type: TokenType;
  serial: string;
  /** TOTP tokens' time step in seconds; null for the others. */
  totp_step: number | null;
  created_at: string;
}

export const TOKEN_COLUMNS = ["d.id", "d.type", "d.serial", "d.totp_step", "d.created_at"] as const;

export interface TokenRow {
  id: string;
  type: TokenType;
  serial: string;
  totp_step: number | null;
  created_at: Date;
}

export function toTokenSummary(row: TokenRow): TokenSummary {
  return {
    id: row.id,
    type: row.type,
    serial: row.serial,
    totp_step: row.totp_step,
    created_at: row.created_at.toISOString(),
  };
}
