import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import https from "node:https";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import type { ApiGrant } from "../../src/authz/index.js";
import { newSecretKey } from "../../src/db/ids.js";
import { readMigrations } from "../../src/db/migrate.js";
import { buildApp } from "../../src/http/app.js";
import { canonicalString, type SignatureVersion, sign } from "../../src/http/duo/canonical.js";
import { parseQuery } from "../../src/http/duo/params.js";
import { openTestDatabase, type TestDatabase } from "./database.js";
import { insertApplication } from "./fixtures.js";

/**
 * research/duo-api.md §8: one self-signed certificate every official client accepts (CN under
 * duosecurity.com for the Perl clients, DNS and IP SANs for 127.0.0.1), made at test time.
 */
export function makeCertificate(): { cert: Buffer; key: Buffer } {
  const dir = mkdtempSync(path.join(tmpdir(), "gatehouse-cert-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-keyout",
        path.join(dir, "key.pem"),
        "-out",
        path.join(dir, "cert.pem"),
        "-subj",
        "/CN=api-local.duosecurity.com",
        "-addext",
        "subjectAltName=DNS:api-local.duosecurity.com,DNS:localhost,DNS:127.0.0.1,IP:127.0.0.1",
      ],
      { stdio: "ignore" },
    );
    return {
      cert: readFileSync(path.join(dir, "cert.pem")),
      key: readFileSync(path.join(dir, "key.pem")),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface HttpsTestServer {
  app: FastifyInstance;
  database: TestDatabase;
  port: number;
  cert: Buffer;
  close(): Promise<void>;
}

/** The real app over HTTPS on a free port, on a database of its own. */
export async function startHttpsServer(): Promise<HttpsTestServer> {
  const database = await openTestDatabase();
  const { cert, key } = makeCertificate();
  const app = await buildApp({
    database: database.handle,
    secrets: database.secrets,
    migrations: await readMigrations(),
    https: { cert, key },
    apiRequestsPerSecond: 1000,
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    app,
    database,
    port,
    cert,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

type DuoResponse = {
  stat: string;
  response?: unknown;
  metadata?: Record<string, unknown>;
  code?: number;
  message?: string;
  message_detail?: string;
};

interface OfficialClient {
  jsonApiCall(
    method: string,
    path: string,
    params: object,
    callback: (res: DuoResponse) => void,
  ): void;
}
const require = createRequire(import.meta.url);
const duo = require("@duosecurity/duo_api") as {
  Client: new (ikey: string, skey: string, host: string, version?: number) => OfficialClient;
  SIGNATURE_VERSION_2: number;
  SIGNATURE_VERSION_5: number;
};

/**
 * Duo's official Node client, unchanged; only its connection is pointed at the test server: it has
 * no port option and pins Duo's CA, so the global agent carries both (§8, "Node").
 */
export function officialClient(
  server: HttpsTestServer,
  credentials: { ikey: string; skey: string },
  version: 2 | 5,
): (method: string, path: string, params?: object) => Promise<DuoResponse> {
  (https.globalAgent as https.Agent & { defaultPort: number }).defaultPort = server.port;
  https.globalAgent.options.ca = server.cert;
  const client = new duo.Client(
    credentials.ikey,
    credentials.skey,
    "127.0.0.1",
    version === 5 ? duo.SIGNATURE_VERSION_5 : duo.SIGNATURE_VERSION_2,
  );
  return (method, path, params = {}) =>
    new Promise((resolve) => client.jsonApiCall(method, path, params, resolve));
}

/** A request signed by hand (for what the official client never sends: stale dates, wrong hosts). */
export function signedRequest(options: {
  ikey: string;
  skey: string;
  method: "GET" | "POST" | "DELETE";
  url: string;
  host?: string;
  date?: string;
  version?: SignatureVersion;
  digest?: "sha1" | "sha512";
  body?: string;
  contentType?: string;
}) {
  const date = options.date ?? new Date().toUTCString();
  const host = options.host ?? "127.0.0.1";
  const body = Buffer.from(options.body ?? "");
  const version = options.version ?? 2;
  const query = parseQuery(options.url);
  const form =
    options.contentType === "application/x-www-form-urlencoded"
      ? parseQuery(`?${options.body}`)
      : new Map();
  const params = version === 5 ? query : new Map([...query, ...form]);
  const canonical = canonicalString(version, {
    date,
    method: options.method,
    host,
    path: options.url.split("?")[0] ?? "",
    params,
    body,
    xDuoHeaders: {},
  });
  const signature = sign(options.skey, options.digest ?? "sha512", canonical);
  return {
    method: options.method,
    url: options.url,
    headers: {
      host,
      date,
      authorization: `Basic ${Buffer.from(`${options.ikey}:${signature}`).toString("base64")}`,
      ...(options.contentType ? { "content-type": options.contentType } : {}),
    },
    ...(options.body === undefined ? {} : { payload: options.body }),
  };
}

export interface Credentials {
  ikey: string;
  skey: string;
}

/** An API integration with a secret key the test knows, as `gatehouse integration create` makes one. */
export async function createCredentials(
  server: HttpsTestServer,
  accountId: string,
  type: string,
  grants: ApiGrant[] = [],
): Promise<Credentials> {
  const skey = newSecretKey();
  const ikey = await insertApplication(server.database.handle.db, server.database.secrets, {
    accountId,
    type,
    secretKey: skey,
    grants,
  });
  return { ikey, skey };
}
