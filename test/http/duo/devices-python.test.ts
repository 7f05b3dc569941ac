import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Credentials,
  createCredentials,
  type HttpsTestServer,
  startHttpsServer,
} from "../../helpers/duo.js";
import { duoPythonRuns, PYTHON } from "../../helpers/duo-python.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount } from "../../helpers/fixtures.js";

/**
 * Phones and hardware tokens (research/duo-api.md §4.1, §4.3, §4.4) through Duo's Python client as
 * Debian packages it (python3-duo-client 4.5.0), unchanged, over HTTPS; like other-clients.test.ts,
 * skipped where the package is missing, except in CI.
 */
const run = promisify(execFile);

describe(`Duo's Python client on phones and hardware tokens on ${TEST_ENGINE}`, () => {
  let server: HttpsTestServer;
  let accountId: string;
  let writer: Credentials;
  let caDir: string;

  beforeAll(async () => {
    server = await startHttpsServer();
    caDir = mkdtempSync(path.join(tmpdir(), "gatehouse-ca-"));
    writeFileSync(path.join(caDir, "cert.pem"), server.cert);
    accountId = await insertAccount(server.database.handle.db, { name: "Python Devices" });
    writer = await createCredentials(server, accountId, "adminapi", [
      "adminapi_read_resource",
      "adminapi_write_resource",
    ]);
  });
  afterAll(async () => {
    await server?.close();
    if (caDir) rmSync(caDir, { recursive: true, force: true });
  });

  it.skipIf(!duoPythonRuns)(
    "python3-duo-client 4.5.0: add, look up, update, associate, list, resync, disassociate and delete phones and tokens",
    async () => {
      const { stdout } = await run(
        PYTHON,
        [path.join(import.meta.dirname, "clients", "duo_client_devices.py")],
        {
          env: {
            ...process.env,
            DUO_PORT: String(server.port),
            DUO_CA: path.join(caDir, "cert.pem"),
            DUO_IKEY: writer.ikey,
            DUO_SKEY: writer.skey,
          },
        },
      );
      const out = JSON.parse(stdout);
      expect(out.phone).toMatchObject({
        number: "+15550104242",
        name: "Desk",
        type: "Landline",
        platform: "Unknown",
        predelay: "3",
        capabilities: [],
        users: [],
      });
      expect(out.phone_by_number).toEqual([out.phone]);
      expect(out.phone_updated).toMatchObject({
        name: "Mobile",
        type: "Mobile",
        platform: "Apple iOS",
        capabilities: ["sms"],
      });
      expect(out.user_phones).toEqual([
        expect.objectContaining({ phone_id: out.phone.phone_id, name: "Mobile" }),
      ]);
      expect(out.phones).toEqual([out.phone.phone_id]);
      expect(out.tokens.map((token: { type: string }) => token.type)).toEqual(["h6", "t6", "yk"]);
      expect(out.tokens[1].totp_step).toBe(60);
      expect(out.token_by_serial).toEqual([out.tokens[0]]);
      expect(out.token_updated).toMatchObject({ totp_step: 30 });
      expect(out.resync).toBe("");
      expect(out.user_tokens).toEqual([
        { token_id: out.tokens[0].token_id, type: "h6", serial: "PY-H6", totp_step: null },
      ]);
      expect(out.user).toMatchObject({ username: "py-devices", is_enrolled: true });
      expect(out.user.phones).toHaveLength(1);
      expect(out.user.tokens).toHaveLength(1);
      expect(out.after_unlink).toMatchObject({ phones: [], tokens: [], is_enrolled: false });
      expect(out.after_delete).toMatch(/^Received 404 Resource not found/);
      expect(JSON.stringify(out)).not.toContain("3132333435363738393031323334353637383930");

      // What the client was told is what the database holds.
      const db = server.database.handle.db;
      const counter = await db
        .selectFrom("audit_log")
        .select("after")
        .where("action", "=", "token_resync")
        .where("object_id", "=", out.tokens[0].token_id)
        .executeTakeFirstOrThrow();
      expect(counter.after).toEqual({ counter: 6 });
      expect(
        await db.selectFrom("phones").select("id").where("account_id", "=", accountId).execute(),
      ).toEqual([]);
      expect(
        await db
          .selectFrom("hardware_tokens")
          .select("id")
          .where("account_id", "=", accountId)
          .execute(),
      ).toEqual([]);
    },
    60_000,
  );
});
