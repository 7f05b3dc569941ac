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
  officialClient,
  startHttpsServer,
} from "../../helpers/duo.js";
import { duoPythonRuns, PYTHON } from "../../helpers/duo-python.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount } from "../../helpers/fixtures.js";
import { pngImage } from "../../helpers/images.js";

/**
 * research/duo-api.md §4.10 GET, POST, DELETE /admin/v1/logo through Duo's Python client as Debian
 * packages it (python3-duo-client 4.5.0), unchanged, over HTTPS; skipped where the package is
 * missing, except in CI.
 */
const run = promisify(execFile);

describe(`Duo's logo endpoints (/admin/v1/logo) on ${TEST_ENGINE}`, () => {
  let server: HttpsTestServer;
  let accountId: string;
  let settings: Credentials;
  let reader: Credentials;
  let dir: string;
  const png = pngImage(120, 40);

  beforeAll(async () => {
    server = await startHttpsServer();
    dir = mkdtempSync(path.join(tmpdir(), "gatehouse-logo-"));
    writeFileSync(path.join(dir, "cert.pem"), server.cert);
    writeFileSync(path.join(dir, "logo.png"), png);
    accountId = await insertAccount(server.database.handle.db, { name: "Logo Corp" });
    settings = await createCredentials(server, accountId, "adminapi", ["adminapi_settings"]);
    reader = await createCredentials(server, accountId, "adminapi", [
      "adminapi_read_resource",
      "adminapi_write_resource",
    ]);
  });
  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const logoRow = () =>
    server.database.handle.db
      .selectFrom("account_logos")
      .select(["content_type", "width", "height"])
      .where("account_id", "=", accountId)
      .executeTakeFirst();

  it.skipIf(!duoPythonRuns)(
    "python3-duo-client 4.5.0: update_logo, get_logo (the exact bytes), delete_logo; a file that is no image is refused",
    async () => {
      const { stdout } = await run(
        PYTHON,
        [path.join(import.meta.dirname, "clients", "duo_client_logo.py")],
        {
          env: {
            ...process.env,
            DUO_PORT: String(server.port),
            DUO_CA: path.join(dir, "cert.pem"),
            DUO_IKEY: settings.ikey,
            DUO_SKEY: settings.skey,
            DUO_IMAGE: path.join(dir, "logo.png"),
          },
        },
      );
      const out = JSON.parse(stdout);
      expect(out.before).toEqual({
        error: "Received 404 Resource not found (no logo is set for this account)",
      });
      expect(out.not_an_image.error).toMatch(/^Received 400 Invalid request parameters \(logo/);
      expect(out.update).toEqual({ ok: "" });
      expect(Buffer.from(out.after.ok, "base64").equals(png)).toBe(true);
      expect(out.delete).toEqual({ ok: "" });
      expect(out.deleted).toEqual(out.before);
      expect(await logoRow()).toBeUndefined();
    },
  );

  const logoAudits = async () =>
    (
      await server.database.handle.db
        .selectFrom("audit_log")
        .select("action")
        .where("action", "like", "branding_logo%")
        .orderBy("id")
        .execute()
    ).map((row) => row.action);

  it("the logo set here is the prompt's: one audit record per change, the image checked as the panel checks it", async () => {
    const call = officialClient(server, settings, 2);
    const auditsBefore = (await logoAudits()).length;
    const answer = await call("POST", "/admin/v1/logo", { logo: png.toString("base64") });
    expect(answer).toEqual({ stat: "OK", response: "" });
    expect(await logoRow()).toEqual({ content_type: "image/png", width: 120, height: 40 });
    const tooSmall = await call("POST", "/admin/v1/logo", {
      logo: pngImage(8, 8).toString("base64"),
    });
    expect(tooSmall).toMatchObject({ stat: "FAIL", code: 40002 });
    const notBase64 = await call("POST", "/admin/v1/logo", { logo: "not base64!" });
    expect(notBase64).toMatchObject({
      stat: "FAIL",
      code: 40002,
      message_detail: expect.stringContaining("logo"),
    });
    expect(await logoRow()).toEqual({ content_type: "image/png", width: 120, height: 40 });
    expect((await logoAudits()).slice(auditsBefore)).toEqual(["branding_logo_update"]);
    expect(await call("DELETE", "/admin/v1/logo")).toEqual({ stat: "OK", response: "" });
    expect(await logoRow()).toBeUndefined();
  });

  it("an application without the settings grant is refused every method, and nothing changes", async () => {
    const call = officialClient(server, reader, 2);
    for (const [method, params] of [
      ["GET", undefined],
      ["POST", { logo: png.toString("base64") }],
      ["DELETE", undefined],
    ] as const)
      expect(await call(method, "/admin/v1/logo", params)).toMatchObject({
        stat: "FAIL",
        code: 40301,
      });
    expect(await logoRow()).toBeUndefined();
  });
});
