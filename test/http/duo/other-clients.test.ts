import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../../src/db/ids.js";
import {
  type Credentials,
  createCredentials,
  type HttpsTestServer,
  startHttpsServer,
} from "../../helpers/duo.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount, insertAdmin } from "../../helpers/fixtures.js";

/**
 * research/duo-api.md §8: Duo's other published clients, run unchanged as Debian packages them
 * (python3-duo-client 4.5.0, libnet-duo-perl 1.02), against the real server over HTTPS. Async
 * execFile: the server answers from this same process while the client runs.
 */
const run = promisify(execFile);
const PYTHON = "/usr/bin/python3";
const clientScript = (name: string) => path.join(import.meta.dirname, "clients", name);

async function installed(command: string, args: string[]): Promise<boolean> {
  try {
    await run(command, args);
    return true;
  } catch {
    return false;
  }
}
const hasPython = existsSync(PYTHON) && (await installed(PYTHON, ["-c", "import duo_client"]));
const hasPerl = await installed("perl", ["-MNet::Duo::Admin", "-e", "1"]);
// .ci/run installs both with apt; a developer machine without them skips, CI never does.
const required = process.env.CI !== undefined;

/** 320 users: Python pages by 100 (four pages), Net::Duo asks 500 and is clamped to 300 (two). */
const SEEDED_USERS = 320;

describe(`Duo's Python and Perl clients against Gatehouse (research/duo-api.md §8) on ${TEST_ENGINE}`, () => {
  let server: HttpsTestServer;
  let parentId: string;
  let writer: Credentials;
  let accounts: Credentials;
  let caDir: string;
  let caFile: string;

  const db = () => server.database.handle.db;
  const environment = (credentials: Credentials) => ({
    ...process.env,
    DUO_PORT: String(server.port),
    DUO_CA: caFile,
    DUO_IKEY: credentials.ikey,
    DUO_SKEY: credentials.skey,
    DUO_ACCOUNTS_IKEY: accounts.ikey,
    DUO_ACCOUNTS_SKEY: accounts.skey,
  });
  const usernamesOf = async (accountId: string) =>
    (
      await db()
        .selectFrom("users")
        .select("username")
        .where("account_id", "=", accountId)
        .execute()
    ).map((row) => row.username);

  beforeAll(async () => {
    server = await startHttpsServer();
    caDir = mkdtempSync(path.join(tmpdir(), "gatehouse-ca-"));
    caFile = path.join(caDir, "cert.pem");
    writeFileSync(caFile, server.cert);
    parentId = await insertAccount(db(), { name: "Northwind MSP" });
    await insertAdmin(db(), {
      accountId: parentId,
      role: "Owner",
      email: "owner@northwind.example",
    });
    writer = await createCredentials(server, parentId, "adminapi", [
      "adminapi_read_resource",
      "adminapi_write_resource",
      "adminapi_info",
      "adminapi_admins",
      "adminapi_integrations",
      "adminapi_read_log",
      "adminapi_settings",
    ]);
    accounts = await createCredentials(server, parentId, "accountsapi");
    await db()
      .insertInto("users")
      .values(
        Array.from({ length: SEEDED_USERS }, (_, i) => ({
          id: newId("user"),
          account_id: parentId,
          username: `seeded${String(i).padStart(3, "0")}`,
        })),
      )
      .execute();
  });
  afterAll(async () => {
    await server?.close();
    if (caDir) rmSync(caDir, { recursive: true, force: true });
  });

  it.skipIf(!hasPython && !required)(
    "python3-duo-client 4.5.0 (v2, HMAC-SHA1 and SHA-512): users, groups, bypass codes, paging, info, admins, integrations, the log, and the Accounts API on a child",
    async () => {
      const { stdout } = await run(PYTHON, [clientScript("duo_client_admin.py")], {
        env: environment(writer),
      });
      const out = JSON.parse(stdout);
      for (const label of ["v2_sha1", "v2_sha512"]) {
        const result = out[label];
        const username = `py-grace-${label}`;
        expect(result.created).toMatchObject({
          username,
          realname: "Grace Hopper",
          status: "active",
        });
        expect(result.updated).toMatchObject({
          realname: "Rear Admiral Grace Hopper",
          status: "disabled",
        });
        expect(result.by_name).toEqual([expect.objectContaining({ username })]);
        expect(result.user_groups).toEqual([expect.objectContaining({ name: `Python ${label}` })]);
        expect(result.codes).toEqual([
          expect.stringMatching(/^\d{9}$/),
          expect.stringMatching(/^\d{9}$/),
        ]);
        // Every page followed through next_offset, none twice, the last without one.
        expect(result.listed).toHaveLength(SEEDED_USERS + 1);
        expect(new Set(result.listed).size).toBe(SEEDED_USERS + 1);
        expect(result.after_delete).toMatch(/^Received 404 Resource not found/);
      }
      expect(out.summary).toMatchObject({ user_count: SEEDED_USERS, admin_count: 1 });
      expect(out.admins).toEqual(["owner@northwind.example"]);
      expect(out.integrations).toEqual(expect.arrayContaining([writer.ikey, accounts.ikey]));
      expect(out.log_actions).toEqual(
        expect.arrayContaining(["user_create", "user_update", "user_delete", "group_create"]),
      );
      expect(out.child.created).toMatchObject({ name: "Python Customer" });
      expect(out.child.listed).toContain("Python Customer");
      expect(out.child.users).toEqual(["child-user"]);
      expect(out.child.edition).toMatchObject({ edition: expect.any(String) });
      expect(out.child.after_delete).not.toContain("Python Customer");

      // What the client was told is what the database holds.
      expect(await usernamesOf(parentId)).toHaveLength(SEEDED_USERS);
      const childRow = await db()
        .selectFrom("accounts")
        .select("id")
        .where("id", "=", out.child.created.account_id)
        .executeTakeFirst();
      expect(childRow).toBeUndefined();
    },
    60_000,
  );

  it.skipIf(!hasPerl && !required)(
    "Net::Duo 1.02 (v2 HMAC-SHA1, port in the signed host, limit 500 clamped): create, commit, bypass codes, paging, integrations, delete",
    async () => {
      const { stdout } = await run("perl", [clientScript("net_duo_admin.pl")], {
        env: environment(writer),
      });
      const out = JSON.parse(stdout);
      expect(out.created).toMatchObject({ username: "perl-larry", realname: "Larry Wall" });
      expect(out.committed).toEqual({ realname: "Larry A. Wall", notes: "made by Net::Duo" });
      expect(out.codes).toHaveLength(3);
      expect(out.listed).toBe(SEEDED_USERS + 1);
      expect(out.integrations).toEqual(expect.arrayContaining([writer.ikey]));
      expect(out.after_delete).toBe("gone");
      expect(await usernamesOf(parentId)).not.toContain("perl-larry");
    },
    60_000,
  );
});
