import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inspectLogo } from "../../../src/domain/branding/image.js";
import { authRequest } from "../../helpers/auth-api.js";
import {
  type Credentials,
  createCredentials,
  type HttpsTestServer,
  startHttpsServer,
} from "../../helpers/duo.js";
import { duoPythonRuns, PYTHON } from "../../helpers/duo-python.js";
import { TEST_ENGINE } from "../../helpers/engine.js";
import { insertAccount } from "../../helpers/fixtures.js";
import { jpegImage, pngImage } from "../../helpers/images.js";

const run = promisify(execFile);

describe.skipIf(!duoPythonRuns)(
  `GET /auth/v2/logo: the account's logo for Duo's Python client (duo_client.Auth.logo) on ${TEST_ENGINE}`,
  { timeout: 60_000 },
  () => {
    let server: HttpsTestServer;
    let caDir: string;
    let caFile: string;
    let accountId: string;
    let app: Credentials;
    let otherApp: Credentials;
    const db = () => server.database.handle.db;

    /** Stores a logo as Settings, Branding does (the panel's own tests cover that path). */
    const storeLogo = async (bytes: Buffer) => {
      const image = inspectLogo(bytes);
      const row = {
        content_type: image.contentType,
        bytes,
        hash: createHash("sha256").update(bytes).digest("hex"),
        width: image.width,
        height: image.height,
      };
      await db()
        .insertInto("account_logos")
        .values({ account_id: accountId, ...row })
        .onConflict((conflict) => conflict.column("account_id").doUpdateSet(row))
        .execute();
    };

    /** One run of clients/logo.py: Duo's client, unchanged, signing with the digest given. */
    const pythonLogo = async (credentials: Credentials, digest: "sha1" | "sha512") => {
      const { stdout } = await run(PYTHON, [path.join(import.meta.dirname, "clients", "logo.py")], {
        env: {
          ...process.env,
          DUO_PORT: String(server.port),
          DUO_CA: caFile,
          DUO_IKEY: credentials.ikey,
          DUO_SKEY: credentials.skey,
          DUO_DIGEST: digest,
        },
      });
      return JSON.parse(stdout) as { ok?: string; error?: string };
    };

    beforeAll(async () => {
      server = await startHttpsServer();
      caDir = mkdtempSync(path.join(tmpdir(), "gatehouse-ca-"));
      caFile = path.join(caDir, "cert.pem");
      writeFileSync(caFile, server.cert);
      accountId = await insertAccount(db(), { name: "Acme" });
      app = await createCredentials(server, accountId, "authapi");
      const other = await insertAccount(db(), { name: "Other" });
      otherApp = await createCredentials(server, other, "authapi");
    });
    afterAll(async () => {
      await server?.close();
      if (caDir) rmSync(caDir, { recursive: true, force: true });
    });

    it("with no logo set: Duo's 404 envelope, which the client raises as Duo's error", async () => {
      expect(await pythonLogo(app, "sha1")).toEqual({
        error: "Received 404 Resource not found (no logo is set for this account)",
      });
      const response = await server.app.inject(authRequest(app, "GET", "/auth/v2/logo"));
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ stat: "FAIL", code: 40401 });
    });

    it("a PNG logo: the client gets its exact bytes, signed with HMAC-SHA1 and HMAC-SHA512", async () => {
      const png = pngImage(120, 40);
      await storeLogo(png);
      for (const digest of ["sha1", "sha512"] as const) {
        const answer = await pythonLogo(app, digest);
        expect(answer.error).toBeUndefined();
        expect(Buffer.from(answer.ok ?? "", "base64").equals(png)).toBe(true);
      }
      const response = await server.app.inject(authRequest(app, "GET", "/auth/v2/logo"));
      expect(response.headers).toMatchObject({
        "content-type": "image/png",
        "x-content-type-options": "nosniff",
        "cache-control": "no-store",
      });
    });

    it("a JPEG logo goes out as image/jpeg, which the client takes as an image too", async () => {
      const jpeg = jpegImage(200, 64);
      await storeLogo(jpeg);
      const answer = await pythonLogo(app, "sha512");
      expect(Buffer.from(answer.ok ?? "", "base64").equals(jpeg)).toBe(true);
      const response = await server.app.inject(authRequest(app, "GET", "/auth/v2/logo"));
      expect(response.statusCode).toBe(200);
      expect(response.headers["content-type"]).toBe("image/jpeg");
      expect(response.rawPayload.equals(jpeg)).toBe(true);
    });

    it("R-TEN-2: another account's application gets its own account's answer, and an unsigned request nothing", async () => {
      expect(await pythonLogo(otherApp, "sha1")).toEqual({
        error: "Received 404 Resource not found (no logo is set for this account)",
      });
      const unsigned = await server.app.inject({ method: "GET", url: "/auth/v2/logo" });
      expect(unsigned.statusCode).toBe(401);
      expect(unsigned.headers["content-type"]).toContain("application/json");
      const wrongKey = await server.app.inject(
        authRequest({ ikey: app.ikey, skey: otherApp.skey }, "GET", "/auth/v2/logo"),
      );
      expect(wrongKey.statusCode).toBe(401);
      expect(wrongKey.rawPayload.includes(Buffer.from("JFIF"))).toBe(false);
    });
  },
);
