import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkAuthentication,
  checkRegistration,
  type NewCredential,
  registrationOptions,
} from "../../src/authn/index.js";
import { newId } from "../../src/db/ids.js";
import { Conflict, NotFound } from "../../src/domain/errors.js";
import { addCredential } from "../../src/domain/webauthn/add.js";
import type { CredentialOwner } from "../../src/domain/webauthn/owner.js";
import { removeCredential } from "../../src/domain/webauthn/remove.js";
import { renameCredential } from "../../src/domain/webauthn/rename.js";
import { signCountUpdate } from "../../src/domain/webauthn/sign-count.js";
import { credentialsOfOwner, findByCredentialId } from "../../src/domain/webauthn/stored.js";
import { openTestDatabase, type TestDatabase } from "../helpers/database.js";
import { TEST_ENGINE } from "../helpers/engine.js";
import { insertAccount, insertUser } from "../helpers/fixtures.js";
import { SoftAuthenticator } from "../helpers/webauthn-authenticator.js";

const RP = { rpId: "gatehouse.example", origin: "https://gatehouse.example" };
const BY = { actor: { kind: "system" as const, name: "test" } };

async function verifiedCredential(key: SoftAuthenticator): Promise<NewCredential> {
  const { challenge } = await registrationOptions({
    rpId: RP.rpId,
    rpName: "Gatehouse",
    userId: "DU0000000000000000A1",
    userName: "anna",
    displayName: "Anna",
    excludeCredentialIds: [],
    userVerification: "preferred",
  });
  const verdict = await checkRegistration({
    response: key.register({ challenge, ...RP }),
    expectedChallenge: challenge,
    expectedOrigin: RP.origin,
    rpId: RP.rpId,
    requireUserVerification: false,
  });
  if (!verdict.ok) throw new Error(verdict.reason);
  return verdict.credential;
}

describe(`the WebAuthn credential store (src/domain/webauthn) on ${TEST_ENGINE}`, () => {
  let t: TestDatabase;
  let owner: CredentialOwner;
  let otherAccount: string;
  const db = () => t.handle.db;

  beforeAll(async () => {
    t = await openTestDatabase();
    const accountId = await insertAccount(db());
    otherAccount = await insertAccount(db());
    const userId = await insertUser(db(), accountId, {
      username: "anna",
      realName: "Anna",
      groupIds: [],
    });
    owner = { kind: "user", userId, accountId };
  });
  afterAll(() => t.close());

  it("R-AUTH-2: a verified credential is kept with an audit record; read back, its facts verify an assertion", async () => {
    const key = new SoftAuthenticator();
    const credential = await verifiedCredential(key);
    const added = await db()
      .transaction()
      .execute((tx) =>
        addCredential(tx, {
          owner,
          credential,
          label: " Keyring ",
          by: { actor: { kind: "admin", id: "DE0000000000000000A1", name: "a@example.com" } },
        }),
      );
    expect(added).toMatchObject({
      id: expect.stringMatching(/^WA[0-9A-Z]{18}$/),
      owner,
      credentialId: key.credentialId,
      signCount: 0,
      transports: ["usb"],
      deviceType: "single_device",
      credentialName: "Security key",
      label: "Keyring",
    });
    const record = await db()
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "webauthn_create")
      .executeTakeFirstOrThrow();
    expect(record).toMatchObject({
      actor_kind: "admin",
      actor_id: "DE0000000000000000A1",
      account_id: owner.accountId,
      object_kind: "user",
      object_id: owner.kind === "user" ? owner.userId : "",
      object_name: "anna",
      after: expect.objectContaining({ webauthnkey: added.id, label: "Keyring" }),
    });
    const [stored] = await credentialsOfOwner(db(), owner);
    expect(stored?.id).toBe(added.id);
    expect((await findByCredentialId(db(), key.credentialId))?.id).toBe(added.id);
    const challenge = "c3RvcmUtY2hhbGxlbmdl";
    const verdict = await checkAuthentication({
      response: key.authenticate({ challenge, ...RP }),
      expectedChallenge: challenge,
      expectedOrigin: RP.origin,
      rpId: RP.rpId,
      credential: stored,
      requireUserVerification: false,
    });
    expect(verdict).toEqual({ ok: true, newSignCount: 1, userVerified: true });
  });

  it("a credential id registered before, in any account, is a Conflict and the transaction goes on", async () => {
    const key = new SoftAuthenticator();
    const credential = await verifiedCredential(key);
    await db()
      .transaction()
      .execute((tx) => addCredential(tx, { owner, credential, by: BY }));
    const otherUser = await insertUser(db(), otherAccount, {
      username: "bob",
      realName: "Bob",
      groupIds: [],
    });
    const stillWorks = await db()
      .transaction()
      .execute(async (tx) => {
        const refused = await addCredential(tx, {
          owner: { kind: "user", userId: otherUser, accountId: otherAccount },
          credential,
          by: BY,
        }).catch((error: unknown) => error);
        expect(refused).toBeInstanceOf(Conflict);
        expect((refused as Conflict).field).toBe("response");
        return (await sql<{ one: number }>`select 1 as one`.execute(tx)).rows[0]?.one;
      });
    expect(stillWorks).toBe(1);
    expect(
      await credentialsOfOwner(db(), { kind: "user", userId: otherUser, accountId: otherAccount }),
    ).toEqual([]);
  });

  it("R-AUTH-2: signCountUpdate is a compare-and-set: of two uses with the same count only one passes; lower never; 0 always", async () => {
    const key = new SoftAuthenticator();
    const credential = await verifiedCredential(key);
    await db()
      .transaction()
      .execute((tx) => addCredential(tx, { owner, credential, by: BY }));
    const use = (count: number) =>
      db()
        .transaction()
        .execute(async (tx) => (await signCountUpdate(key.credentialId, count).execute(tx)).rows);
    const racing = await Promise.all([use(5), use(5)]);
    expect(racing.map((rows) => rows.length).sort()).toEqual([0, 1]);
    expect(await use(4)).toEqual([]);
    expect(await use(5)).toEqual([]);
    const row = () =>
      db()
        .selectFrom("webauthn_credentials")
        .select(["id", "sign_count", "last_used_at"])
        .where("credential_id", "=", key.credentialId)
        .executeTakeFirstOrThrow();
    const after = await row();
    expect(after.sign_count).toBe(5);
    expect(after.last_used_at).not.toBeNull();
    // An authenticator that keeps no counter (0): recorded, the stored count kept.
    expect(await use(0)).toEqual([{ id: after.id }]);
    expect((await row()).sign_count).toBe(5);
    expect(await use(6)).toEqual([{ id: after.id }]);
    // One statement with what a caller logs beside it.
    const combined = await sql<{ id: string; logged: boolean }>`
      with used as (${signCountUpdate(key.credentialId, 7)})
      select id, true as logged from used`.execute(db());
    expect(combined.rows).toEqual([{ id: after.id, logged: true }]);
    expect(await use(0)).toHaveLength(1);
    expect(await signCountUpdate("no-such-credential-id-AAAA", 9).execute(db())).toMatchObject({
      rows: [],
    });
  });

  it("rename and remove only the owner's credential, each with an audit record; another owner's is not found", async () => {
    const credential = await verifiedCredential(new SoftAuthenticator());
    const added = await db()
      .transaction()
      .execute((tx) => addCredential(tx, { owner, credential, by: BY }));
    const stranger: CredentialOwner = {
      kind: "admin",
      adminId: newId("admin"),
      accountId: owner.accountId,
    };
    await expect(
      renameCredential(db(), { id: added.id, owner: stranger, label: "Mine", by: BY }),
    ).rejects.toBeInstanceOf(NotFound);
    await expect(
      removeCredential(db(), { id: added.id, owner: stranger, by: BY }),
    ).rejects.toBeInstanceOf(NotFound);
    expect(await renameCredential(db(), { id: added.id, owner, label: "  Blue  ", by: BY })).toBe(
      "Blue",
    );
    await removeCredential(db(), { id: added.id, owner, by: BY });
    const actions = await db()
      .selectFrom("audit_log")
      .select(["action", "before", "after"])
      .where("action", "like", "webauthn_%")
      .orderBy("id")
      .execute();
    const ofThisKey = actions.filter((a) =>
      [a.before, a.after].some(
        (side) => (side as { webauthnkey?: string } | null)?.webauthnkey === added.id,
      ),
    );
    expect(ofThisKey.map((a) => a.action)).toEqual([
      "webauthn_create",
      "webauthn_update",
      "webauthn_delete",
    ]);
  });

  it("the table holds exactly one owner, in the owner's own account, and goes with its user", async () => {
    const key = new SoftAuthenticator();
    const row = (values: {
      user_id: string | null;
      admin_id: string | null;
      account_id?: string;
    }) =>
      db()
        .insertInto("webauthn_credentials")
        .values({
          id: newId("webauthnCredential"),
          account_id: values.account_id ?? owner.accountId,
          user_id: values.user_id,
          admin_id: values.admin_id,
          credential_id: new SoftAuthenticator().credentialId,
          public_key: key.cosePublicKey,
          aaguid: "00000000-0000-0000-0000-000000000000",
          device_type: "single_device",
          credential_name: "Security key",
        })
        .execute();
    const userId = owner.kind === "user" ? owner.userId : "";
    await expect(row({ user_id: null, admin_id: null })).rejects.toThrow(/one_owner/);
    await expect(
      row({ user_id: userId, admin_id: null, account_id: otherAccount }),
    ).rejects.toThrow(/foreign key/);
    const doomed = await insertUser(db(), owner.accountId, {
      username: "doomed",
      realName: "Doomed",
      groupIds: [],
    });
    await row({ user_id: doomed, admin_id: null });
    await db().deleteFrom("users").where("id", "=", doomed).execute();
    expect(
      await db()
        .selectFrom("webauthn_credentials")
        .select("id")
        .where("user_id", "=", doomed)
        .execute(),
    ).toEqual([]);
  });
});
