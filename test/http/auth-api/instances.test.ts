import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newSecretKey } from "../../../src/db/ids.js";
import { readMigrations } from "../../../src/db/migrate.js";
import { type DatabaseHandle, openDatabase } from "../../../src/db/open.js";
import { buildApp } from "../../../src/http/app.js";
import { openTestDatabase, type TestDatabase } from "../../helpers/database.js";
import { signedRequest } from "../../helpers/duo.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { appCode, insertPhone, newBase32Secret } from "../../helpers/factors.js";
import { insertAccount, insertApplication, insertUser } from "../../helpers/fixtures.js";

/**
 * Issue 14 item 2: an async authentication started on one Gatehouse instance is polled on
 * another. On PostgreSQL the two instances have pools of their own on the same database, as two
 * processes behind a load balancer would; on PGlite (one process per data directory) they share
 * the handle, which still shows that no instance keeps the transaction in its own memory.
 */
describe(`an async authentication across two instances, on ${TEST_ENGINE}`, () => {
  let database: TestDatabase;
  let secondHandle: DatabaseHandle | undefined;
  let first: Awaited<ReturnType<typeof buildApp>>;
  let second: Awaited<ReturnType<typeof buildApp>>;
  let credentials: { ikey: string; skey: string };
  const secret = newBase32Secret();

  beforeAll(async () => {
    database = await openTestDatabase();
    const db = database.handle.db;
    const accountId = await insertAccount(db, { name: "Acme" });
    const skey = newSecretKey();
    credentials = {
      ikey: await insertApplication(db, database.secrets, {
        accountId,
        type: "authapi",
        secretKey: skey,
      }),
      skey,
    };
    const alice = await insertUser(db, accountId, {
      username: "alice",
      realName: "Alice",
      groupIds: [],
    });
    await insertPhone(db, database.secrets, { accountId, userId: alice, totpSecret: secret });
    const migrations = await readMigrations();
    secondHandle = database.url
      ? await openDatabase({ kind: "postgres", url: database.url, poolSize: 2 })
      : undefined;
    first = await buildApp({ database: database.handle, secrets: database.secrets, migrations });
    second = await buildApp({
      database: secondHandle ?? database.handle,
      secrets: database.secrets,
      migrations,
    });
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await secondHandle?.close();
    await database?.close();
  });

  it("auth with async=1 on one instance; auth_status on the other answers its final result", async () => {
    const body = `async=1&factor=passcode&passcode=${appCode(secret)}&username=alice`;
    const started = await first.inject(
      signedRequest({
        ...credentials,
        method: "POST",
        url: "/auth/v2/auth",
        body,
        contentType: "application/x-www-form-urlencoded",
      }),
    );
    const { txid } = started.json().response as { txid: string };
    expect(txid).toMatch(/^[0-9a-f-]{36}$/);
    const polled = await second.inject(
      signedRequest({ ...credentials, method: "GET", url: `/auth/v2/auth_status?txid=${txid}` }),
    );
    expect(polled.json()).toEqual({
      stat: "OK",
      response: { result: "allow", status: "allow", status_msg: "Success. Logging you in..." },
    });
  });
});
