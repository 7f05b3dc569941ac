import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount, insertGroup, insertUser } from "../../helpers/fixtures.js";
import { insertScopedUnit, signInAdmin } from "../../helpers/panel-admins.js";
import type { PanelClient } from "../../helpers/panel-client.js";
import { insertWebAuthnCredential } from "../../helpers/webauthn-fixtures.js";

describe(`users' security keys and passkeys in the panel (R-ROLE-2, R-ROLE-3, R-UNIT-8f) on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let accountId: string;
  const ids = { anna: "", bob: "", annaKey: "", annaPasskey: "", bobKey: "", adminKey: "" };
  let helpDesk: PanelClient;
  let restrictedHelpDesk: PanelClient;
  let readOnly: PanelClient;
  let appManager: PanelClient;
  let helpDeskId: string;

  const db = () => t.database.handle.db;
  const state = async () => ({
    credentials: await db()
      .selectFrom("webauthn_credentials")
      .select(["id", "user_id", "admin_id"])
      .orderBy("id")
      .execute(),
    records: (
      await db()
        .selectFrom("audit_log")
        .select("id")
        .where("action", "<>", "access_denied")
        .execute()
    ).length,
  });

  beforeAll(async () => {
    t = await buildTestApp();
    accountId = await insertAccount(db(), { name: "Northwind", edition: "Premier" });
    const eu = await insertGroup(db(), accountId, "EU Staff");
    const us = await insertGroup(db(), accountId, "US Staff");
    ids.anna = await insertUser(db(), accountId, {
      username: "anna.eu",
      realName: "Anna",
      groupIds: [eu],
    });
    ids.bob = await insertUser(db(), accountId, {
      username: "bob.us",
      realName: "Bob",
      groupIds: [us],
    });
    ids.annaKey = (
      await insertWebAuthnCredential(db(), { accountId, userId: ids.anna }, { label: "Keyring" })
    ).id;
    ids.annaPasskey = (
      await insertWebAuthnCredential(db(), { accountId, userId: ids.anna }, { passkey: true })
    ).id;
    ids.bobKey = (await insertWebAuthnCredential(db(), { accountId, userId: ids.bob })).id;
    const unit = await insertScopedUnit(db(), accountId, { name: "EU", groupIds: [eu] });
    ({ client: helpDesk, id: helpDeskId } = await signInAdmin(t, accountId, { role: "Help Desk" }));
    ({ client: restrictedHelpDesk } = await signInAdmin(t, accountId, {
      role: "Help Desk",
      unitIds: [unit],
    }));
    ({ client: readOnly } = await signInAdmin(t, accountId, { role: "Read-only" }));
    ({ client: appManager } = await signInAdmin(t, accountId, { role: "Application Manager" }));
    ids.adminKey = (await insertWebAuthnCredential(db(), { accountId, adminId: helpDeskId })).id;
  });
  afterAll(() => t.close());

  it("R-ROLE-2: a user's keys and passkeys are listed by name, label, added and last used; never their key material", async () => {
    const listed = await readOnly.get(`/api/users/${ids.anna}/webauthn-credentials`);
    expect(listed.statusCode, listed.body).toBe(200);
    const body = listed.json();
    expect(body.next).toBeNull();
    expect(body.items).toHaveLength(2);
    expect(body.items).toEqual(
      expect.arrayContaining([
        {
          id: ids.annaKey,
          credential_name: "Security key",
          label: "Keyring",
          passkey: false,
          created_at: expect.any(String),
          last_used_at: null,
          user: { id: ids.anna, username: "anna.eu" },
        },
        expect.objectContaining({ id: ids.annaPasskey, credential_name: "Passkey", passkey: true }),
      ]),
    );
    expect(listed.body).not.toMatch(/public_key|credential_id|sign_count|aaguid/);
    // Paged by the panel's cursor.
    const first = (
      await readOnly.get(`/api/users/${ids.anna}/webauthn-credentials?limit=1`)
    ).json();
    expect(first.items).toHaveLength(1);
    const rest = (
      await readOnly.get(
        `/api/users/${ids.anna}/webauthn-credentials?limit=1&after=${encodeURIComponent(first.next)}`,
      )
    ).json();
    expect([...first.items, ...rest.items].map((c: { id: string }) => c.id).sort()).toEqual(
      [ids.annaKey, ids.annaPasskey].sort(),
    );
  });

  it("R-ROLE-3: Application Manager sees no devices; Read-only sees them and removes none; nothing changes", async () => {
    const before = await state();
    const hidden = await appManager.get(`/api/users/${ids.anna}/webauthn-credentials`);
    expect(hidden.statusCode).toBe(403);
    expect(hidden.json().error.rule).toMatch(/^R-ROLE-/);
    for (const client of [appManager, readOnly]) {
      const refused = await client.request({
        method: "DELETE",
        url: `/api/webauthn-credentials/${ids.annaKey}`,
      });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.rule).toMatch(/^R-ROLE-/);
    }
    expect(await state()).toEqual(before);
  });

  it("R-UNIT-8f: a restricted Help Desk sees and removes only their units' users' keys; others are not found; ids are checked naming the field", async () => {
    const before = await state();
    expect(
      (await restrictedHelpDesk.get(`/api/users/${ids.anna}/webauthn-credentials`)).json().items,
    ).toHaveLength(2);
    expect(
      (await restrictedHelpDesk.get(`/api/users/${ids.bob}/webauthn-credentials`)).statusCode,
    ).toBe(404);
    const outside = await restrictedHelpDesk.request({
      method: "DELETE",
      url: `/api/webauthn-credentials/${ids.bobKey}`,
    });
    expect(outside.statusCode).toBe(404);
    // An administrator's own key is nobody's device to remove here.
    const adminKey = await helpDesk.request({
      method: "DELETE",
      url: `/api/webauthn-credentials/${ids.adminKey}`,
    });
    expect(adminKey.statusCode).toBe(404);
    const badUser = await helpDesk.get("/api/users/not-a-user/webauthn-credentials");
    expect(badUser.statusCode).toBe(400);
    expect(badUser.json().error.field).toBe("userId");
    const badKey = await helpDesk.request({
      method: "DELETE",
      url: "/api/webauthn-credentials/DH0000000000000000AA",
    });
    expect(badKey.statusCode).toBe(400);
    expect(badKey.json().error.field).toBe("credentialId");
    expect(await state()).toEqual(before);
  });

  it("R-ROLE-3: Help Desk removes a user's key, with one audit record naming it and whose it was", async () => {
    const before = await state();
    const removed = await restrictedHelpDesk.request({
      method: "DELETE",
      url: `/api/webauthn-credentials/${ids.annaKey}`,
    });
    expect(removed.statusCode, removed.body).toBe(200);
    const after = await state();
    expect(after.credentials.map((c) => c.id)).not.toContain(ids.annaKey);
    expect(after.records).toBe(before.records + 1);
    const records = await db()
      .selectFrom("audit_log")
      .select(["action", "actor_kind", "object_kind", "object_id", "object_name", "before"])
      .where("action", "=", "webauthn_delete")
      .execute();
    // The record is the user's, so a restricted admin sees it while the user is theirs (R-UNIT-8g).
    expect(records).toEqual([
      {
        action: "webauthn_delete",
        actor_kind: "admin",
        object_kind: "user",
        object_id: ids.anna,
        object_name: "anna.eu",
        before: expect.objectContaining({
          webauthnkey: ids.annaKey,
          user_id: ids.anna,
          label: "Keyring",
          passkey: false,
        }),
      },
    ]);
    // R-UNIT-8g: the restricted Help Desk reads the record in the Administrator Actions log.
    const seen = (await restrictedHelpDesk.get("/api/audit-log?limit=50")).json();
    expect(seen.items.map((item: { action: string }) => item.action)).toContain("webauthn_delete");
    const again = await helpDesk.request({
      method: "DELETE",
      url: `/api/webauthn-credentials/${ids.annaKey}`,
    });
    expect(again.statusCode).toBe(404);
  });
});
