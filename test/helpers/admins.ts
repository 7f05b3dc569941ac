import { insertAdmin } from "../../src/db/queries/admins.js";
import type { Role } from "../../src/db/schema.js";
import { hashPassword } from "../../src/domain/auth/password.js";
import { newTotpSecret } from "../../src/domain/auth/totp.js";
import type { TestDatabase } from "./database.js";
import { insertAccount } from "./fixtures.js";

export interface SeededAdmin {
  id: string;
  accountId: string;
  email: string;
  password: string;
  totpSecret: string;
}

export const GOOD_PASSWORD = "correct horse battery staple";

/** An Active admin with a password and an enrolled authenticator, as activation would leave it. */
export async function seedActiveAdmin(
  t: TestDatabase,
  values: { accountId?: string; email?: string; role?: Role; password?: string } = {},
): Promise<SeededAdmin> {
  const accountId = values.accountId ?? (await insertAccount(t.handle.db));
  const password = values.password ?? GOOD_PASSWORD;
  const totpSecret = newTotpSecret();
  const email = values.email ?? `admin-${Math.random().toString(36).slice(2, 10)}@example.com`;
  const id = await insertAdmin(t.handle.db, {
    account_id: accountId,
    email,
    name: "Test Admin",
    phone: null,
    role: values.role ?? "Owner",
    status: "Active",
    password_hash: await hashPassword(password),
    totp_secret_enc: null,
    password_changed_at: new Date(),
  });
  await t.handle.db
    .updateTable("admins")
    .set({ totp_secret_enc: t.secrets.seal(totpSecret, id) })
    .where("id", "=", id)
    .execute();
  return { id, accountId, email, password, totpSecret };
}
