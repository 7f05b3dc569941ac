import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import * as OTPAuth from "otpauth";
import type { Executor } from "../../src/db/executor.js";
import { newId, newSecretKey } from "../../src/db/ids.js";
import { migrate, readMigrations } from "../../src/db/migrate.js";
import { type DatabaseHandle, openDatabase } from "../../src/db/open.js";
import { createSecretBox, type SecretBox } from "../../src/db/secrets.js";

/**
 * The server child's side of an HTTP benchmark (server-child.ts): the database BENCH_DATABASE_URL
 * names (PGlite in memory when empty), migrated, a secret box of its own, and one Premier parent
 * account to seed. Imported by `serve` only, so the load generator never loads the server.
 */
export async function openBenchAccount(): Promise<{
  handle: DatabaseHandle;
  secrets: SecretBox;
  accountId: string;
  url: string | undefined;
}> {
  const url = process.env.BENCH_DATABASE_URL || undefined;
  const handle = await openDatabase(
    url ? { kind: "postgres", url, poolSize: 10 } : { kind: "pglite-memory" },
  );
  await migrate(handle);
  const accountId = newId("account");
  await handle.db
    .insertInto("accounts")
    .values({ id: accountId, parent_id: null, name: "Bench MSP", edition: "Premier" })
    .execute();
  return { handle, secrets: createSecretBox(randomBytes(32)), accountId, url };
}

/** `count` users, each with an activated authenticator app whose secret (base32) is returned. */
export async function seedAppUsers(
  db: Executor,
  box: SecretBox,
  accountId: string,
  count: number,
): Promise<{ username: string; secret: string }[]> {
  const users = Array.from({ length: count }, (_, i) => ({
    id: newId("user"),
    phone: newId("phone"),
    username: `user${String(i).padStart(5, "0")}`,
    secret: new OTPAuth.Secret({ size: 20 }).base32,
  }));
  for (let i = 0; i < users.length; i += 1000) {
    const batch = users.slice(i, i + 1000);
    await db
      .insertInto("users")
      .values(batch.map((u) => ({ id: u.id, account_id: accountId, username: u.username })))
      .execute();
    await db
      .insertInto("phones")
      .values(
        batch.map((u) => ({
          id: u.phone,
          account_id: accountId,
          type: "Mobile" as const,
          activated: true,
          totp_secret_enc: box.seal(u.secret, u.phone),
        })),
      )
      .execute();
    await db
      .insertInto("user_phones")
      .values(batch.map((u) => ({ user_id: u.id, phone_id: u.phone, account_id: accountId })))
      .execute();
  }
  return users.map(({ username, secret }) => ({ username, secret }));
}

/** An application of `type` in the account, with a fresh secret key, returned in clear. */
export async function insertBenchApplication(
  db: Executor,
  box: SecretBox,
  accountId: string,
  type: string,
  name: string,
): Promise<{ id: string; secret: string }> {
  const id = newId("integration");
  const secret = newSecretKey();
  await db
    .insertInto("applications")
    .values({
      id,
      account_id: accountId,
      account_is_subaccount: false,
      type,
      name,
      secret_key_enc: box.seal(secret, id),
    })
    .execute();
  return { id, secret };
}

/** Gatehouse itself on a free port, rate limits out of the way; its port. */
export async function listenGatehouse(handle: DatabaseHandle, box: SecretBox): Promise<number> {
  const { buildApp } = await import("../../src/http/app.js");
  const app = await buildApp({
    database: handle,
    secrets: box,
    migrations: await readMigrations(),
    authRequestsPerSecond: 1_000_000,
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  return portOf(app.server);
}

export function portOf(server: Server): number {
  const address = server.address();
  return typeof address === "object" && address ? address.port : 0;
}
