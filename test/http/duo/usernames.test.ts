import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedActiveAdmin } from "../../helpers/admins.js";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import {
  type Credentials,
  createCredentials,
  type HttpsTestServer,
  officialClient,
  startHttpsServer,
} from "../../helpers/duo.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount } from "../../helpers/fixtures.js";
import { PanelClient } from "../../helpers/panel-client.js";

type DuoUser = { user_id: string; username: string; aliases?: Record<string, string> };

/** "José Núñez" with each accented letter as one code point (NFC) and as letter + accent (NFD). */
const COMPOSED = "Jos\u00e9 N\u00fa\u00f1ez";
const DECOMPOSED = "Jose\u0301 Nu\u0301n\u0303ez";
const NAMES = ["jane doe", COMPOSED, "用户"];

describe(`usernames as Duo accepts them (docs/duo-api.md "Usernames") on ${TEST_ENGINE}`, () => {
  let server: HttpsTestServer;
  let accountId: string;
  let writer: Credentials;

  const usernamesInDatabase = async () =>
    (
      await server.database.handle.db
        .selectFrom("users")
        .select("username")
        .where("account_id", "=", accountId)
        .orderBy("id")
        .execute()
    ).map((row) => row.username);

  beforeAll(async () => {
    server = await startHttpsServer();
    accountId = await insertAccount(server.database.handle.db, { name: "Northwind" });
    writer = await createCredentials(server, accountId, "adminapi", [
      "adminapi_read_resource",
      "adminapi_write_resource",
    ]);
  });
  afterAll(() => server.close());

  it("issue 13 item 9: names with spaces and non-ASCII letters are created, found with ?username= and read back byte-exact (§4.1)", async () => {
    const call = officialClient(server, writer, 2);
    for (const name of NAMES) {
      const created = await call("POST", "/admin/v1/users", { username: name });
      expect([name, created]).toMatchObject([name, { stat: "OK", response: { username: name } }]);
      const id = (created.response as DuoUser).user_id;
      for (const asked of [name, name.toUpperCase()]) {
        const found = await call("GET", "/admin/v1/users", { username: asked });
        expect([asked, found]).toMatchObject([asked, { stat: "OK" }]);
        const users = found.response as DuoUser[];
        expect(users.map((user) => [user.user_id, user.username])).toEqual([[id, name]]);
        expect(Buffer.from(users[0]?.username ?? "")).toEqual(Buffer.from(name));
      }
      const read = await call("GET", `/admin/v1/users/${id}`);
      expect((read.response as DuoUser).username).toBe(name);
    }
    // The composed and decomposed spellings are one name: a lookup in either finds the user.
    const byDecomposed = await call("GET", "/admin/v1/users", { username: DECOMPOSED });
    expect((byDecomposed.response as DuoUser[]).map((user) => user.username)).toEqual([COMPOSED]);
    expect((await usernamesInDatabase()).sort()).toEqual([...NAMES].sort());
  });

  it("issue 13 item 9: a name differing only in case or in Unicode normalisation is Duo's 40003 and adds nothing", async () => {
    const call = officialClient(server, writer, 5);
    const before = await usernamesInDatabase();
    for (const duplicate of ["JANE DOE", "Jane Doe", DECOMPOSED, "josé núñez", " 用户 "]) {
      const answer = await call("POST", "/admin/v1/users", { username: duplicate });
      expect([duplicate, answer]).toMatchObject([duplicate, { stat: "FAIL", code: 40003 }]);
    }
    expect(await usernamesInDatabase()).toEqual(before);
  });

  it("issue 13 item 9: surrounding whitespace is trimmed; empty, control characters and over 100 characters are 40002 naming the field", async () => {
    const call = officialClient(server, writer, 2);
    const trimmed = await call("POST", "/admin/v1/users", { username: "  mary ann  " });
    expect(trimmed).toMatchObject({ stat: "OK", response: { username: "mary ann" } });
    const before = await usernamesInDatabase();
    for (const [username, detail] of [
      ["   ", /^username: must not be empty/],
      ["tab\there", /^username: must not hold control characters/],
      ["line\nbreak", /^username: must not hold control characters/],
      ["bell\u0007", /^username: must not hold control characters/],
      ["para\u2029graph", /^username: must not hold control characters/],
      ["用".repeat(101), /^username: must be at most 100 characters/],
    ] as const) {
      const answer = await call("POST", "/admin/v1/users", { username });
      expect([username, answer]).toMatchObject([username, { stat: "FAIL", code: 40002 }]);
      expect(answer.message_detail).toMatch(detail);
    }
    expect(await usernamesInDatabase()).toEqual(before);
  });
});

describe(`usernames as Duo accepts them, in the panel, on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let owner: PanelClient;

  beforeAll(async () => {
    t = await buildTestApp();
    const accountId = await insertAccount(t.db, { name: "Northwind" });
    owner = new PanelClient(t.app);
    await owner.signIn(await seedActiveAdmin(t.database, { accountId, role: "Owner" }));
  });
  afterAll(() => t.close());

  it("issue 13 item 9: the panel creates and renames users with spaces and non-ASCII letters; a case or NFC twin is 409 naming the username", async () => {
    const created = await owner.post("/api/users", { username: "jane doe", aliases: ["用户"] });
    expect(created.statusCode, created.body).toBe(200);
    const user = created.json() as { id: string; username: string; aliases: string[] };
    expect(user).toMatchObject({ username: "jane doe", aliases: ["用户"] });
    const renamed = await owner.request({
      method: "PATCH",
      url: `/api/users/${user.id}`,
      body: { username: DECOMPOSED },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ username: COMPOSED });
    const twin = await owner.post("/api/users", { username: COMPOSED.toUpperCase() });
    expect(twin.statusCode, twin.body).toBe(409);
    expect(twin.body).toContain("username");
    // 100 letters outside the Basic Multilingual Plane (200 UTF-16 units) are 100 characters.
    const long = "𝒜".repeat(100);
    const longest = await owner.post("/api/users", { username: long });
    expect(longest.statusCode, longest.body).toBe(200);
    expect(longest.json()).toMatchObject({ username: long });
    const tooLong = await owner.post("/api/users", { username: `${long}b` });
    expect(tooLong.statusCode, tooLong.body).toBe(400);
    const control = await owner.post("/api/users", { username: "new\nline" });
    expect(control.statusCode, control.body).toBe(400);
    expect(control.body).toContain("username");
  });
});
