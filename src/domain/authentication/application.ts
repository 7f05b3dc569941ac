import type { AuthApplication } from "./log.js";

/** An integration's row as an authenticating door reads it: what each door checks, and the key. */
export interface ApplicationRow {
  id: string;
  name: string;
  account_id: string;
  type: string;
  secret_key_enc: string;
  legacy_unix_clients: boolean;
}

export function toAuthApplication(row: ApplicationRow): AuthApplication {
  return {
    id: row.id,
    name: row.name,
    accountId: row.account_id,
    type: row.type as AuthApplication["type"],
  };
}
