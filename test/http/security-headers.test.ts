import https from "node:https";
import type { FastifyInstance, InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SeededAdmin, seedActiveAdmin } from "../helpers/admins.js";
import { buildTestApp, type TestApp } from "../helpers/app.js";
import {
  createCredentials,
  type HttpsTestServer,
  signedRequest,
  startHttpsServer,
} from "../helpers/duo.js";
import { TEST_ENGINE } from "../helpers/engine.js";
import { insertAccount } from "../helpers/fixtures.js";
import { PanelClient } from "../helpers/panel-client.js";

const HSTS = "max-age=31536000; includeSubDomains";
const BARE = "gatehouse_session";
const HOST_PREFIXED = "__Host-gatehouse_session";
const OVER_HTTPS = { "x-forwarded-proto": "https" };

interface Answer {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

/** Both sign-in steps by hand, so the test sees each answer's headers and the cookie's name. */
async function signInBy(
  send: (request: {
    method: "GET" | "POST" | "PATCH";
    url: string;
    body?: object;
    cookie?: string;
  }) => Promise<Answer>,
  admin: SeededAdmin,
  cookieName: string,
) {
  const password = await send({
    method: "POST",
    url: "/api/auth/sign-in",
    body: { email: admin.email, password: admin.password },
  });
  const first = setCookie(password, cookieName);
  const code = await send({
    method: "POST",
    url: "/api/auth/second-factor",
    body: { code: PanelClient.codeFor(admin) },
    cookie: `${cookieName}=${first.value}`,
  });
  const second = setCookie(code, cookieName);
  return {
    password,
    code,
    cookie: `${cookieName}=${second.value}`,
    csrfToken: JSON.parse(code.body).csrf_token as string,
  };
}

/** The one Set-Cookie of a sign-in answer, parsed; fails when it has another name. */
function setCookie(answer: Answer, name: string) {
  const header = [answer.headers["set-cookie"] ?? []].flat();
  expect(header, answer.body).toHaveLength(1);
  const [pair = "", ...attributes] = String(header[0] ?? "").split(/;\s*/);
  const [cookieName, value = ""] = pair.split("=");
  expect(cookieName).toBe(name);
  return { value, attributes: attributes.map((attribute) => attribute.toLowerCase()) };
}

function viaInject(app: FastifyInstance, headers: Record<string, string> = {}) {
  return async (request: {
    method: "GET" | "POST" | "PATCH";
    url: string;
    body?: object;
    cookie?: string;
    csrf?: string;
  }): Promise<Answer> => {
    const options: InjectOptions = {
      method: request.method,
      url: request.url,
      headers: {
        ...headers,
        ...(request.cookie ? { cookie: request.cookie } : {}),
        ...(request.csrf ? { "x-csrf-token": request.csrf } : {}),
      },
      ...(request.body ? { payload: request.body } : {}),
    };
    const response = await app.inject(options);
    return { status: response.statusCode, headers: response.headers, body: response.body };
  };
}

describe(`security headers and the session cookie (issue 13 item 4) on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  let untrusting: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ trustProxy: true });
    untrusting = await buildTestApp();
  });
  afterAll(async () => {
    await t.close();
    await untrusting.close();
  });

  it("issue 13 item 4: every panel API answer to a signed-in admin, and each sign-in step, is Cache-Control: no-store (R-ADM-3)", async () => {
    const admin = await seedActiveAdmin(t.database);
    const send = viaInject(t.app);
    const signedIn = await signInBy(send, admin, BARE);
    expect(signedIn.password.headers["cache-control"]).toBe("no-store");
    expect(signedIn.code.headers["cache-control"]).toBe("no-store");
    const authenticated = { cookie: signedIn.cookie, csrf: signedIn.csrfToken };
    const answers = [
      await send({ method: "GET", url: "/api/auth/session", ...authenticated }),
      await send({ method: "GET", url: "/api/account", ...authenticated }),
      await send({ method: "GET", url: "/api/audit-log", ...authenticated }),
      await send({
        method: "PATCH",
        url: "/api/profile",
        body: { name: "Renamed" },
        ...authenticated,
      }),
      // Refusals too (a malformed id, nobody signed in).
      await send({ method: "GET", url: "/api/admins/no-such-admin", ...authenticated }),
      await send({ method: "GET", url: "/api/account" }),
      await send({ method: "POST", url: "/api/auth/sign-out", ...authenticated }),
    ];
    expect(answers.map((answer) => [answer.status, answer.headers["cache-control"]])).toEqual([
      [200, "no-store"],
      [200, "no-store"],
      [200, "no-store"],
      [200, "no-store"],
      [400, "no-store"],
      [401, "no-store"],
      [200, "no-store"],
    ]);
    // The API's own public documentation holds no secret and may be cached.
    const document = await send({ method: "GET", url: "/api/openapi.json" });
    expect(document.status).toBe(200);
    expect(document.headers["cache-control"]).not.toBe("no-store");
  });

  it("issue 13 item 4: over plain HTTP, no HSTS and the bare cookie name; an untrusted X-Forwarded-Proto changes nothing", async () => {
    for (const [app, headers] of [
      [t.app, {}],
      [untrusting.app, OVER_HTTPS],
    ] as const) {
      const admin = await seedActiveAdmin(app === t.app ? t.database : untrusting.database);
      const send = viaInject(app, headers);
      const signedIn = await signInBy(send, admin, BARE);
      expect(setCookie(signedIn.code, BARE).attributes).not.toContain("secure");
      expect(signedIn.code.headers["strict-transport-security"]).toBeUndefined();
      const session = await send({
        method: "GET",
        url: "/api/auth/session",
        cookie: signedIn.cookie,
      });
      expect(session.status).toBe(200);
      expect(session.headers["strict-transport-security"]).toBeUndefined();
    }
  });

  it("issue 13 item 4: behind a trusted proxy saying https, HSTS on every answer and sign-in works end to end with the __Host- cookie (R-ADM-3)", async () => {
    const admin = await seedActiveAdmin(t.database);
    const send = viaInject(t.app, OVER_HTTPS);
    const signedIn = await signInBy(send, admin, HOST_PREFIXED);
    const { attributes } = setCookie(signedIn.code, HOST_PREFIXED);
    expect(attributes).toEqual(expect.arrayContaining(["secure", "path=/", "httponly"]));
    expect(attributes.some((attribute) => attribute.startsWith("domain="))).toBe(false);
    for (const answer of [signedIn.password, signedIn.code])
      expect(answer.headers["strict-transport-security"]).toBe(HSTS);

    const session = await send({
      method: "GET",
      url: "/api/auth/session",
      cookie: signedIn.cookie,
    });
    expect(session.status).toBe(200);
    expect(JSON.parse(session.body).admin.email).toBe(admin.email);
    const changed = await send({
      method: "PATCH",
      url: "/api/profile",
      body: { name: "Over HTTPS" },
      cookie: signedIn.cookie,
      csrf: signedIn.csrfToken,
    });
    expect(changed.status).toBe(200);
    const health = await send({ method: "GET", url: "/healthz" });
    expect(health.headers["strict-transport-security"]).toBe(HSTS);

    // Each name is read only where it belongs: the same session id under the other name is ignored.
    const value = signedIn.cookie.split("=")[1];
    const bareOverHttps = await send({
      method: "GET",
      url: "/api/auth/session",
      cookie: `${BARE}=${value}`,
    });
    expect(bareOverHttps.status).toBe(401);
    const prefixedOverHttp = await viaInject(t.app)({
      method: "GET",
      url: "/api/auth/session",
      cookie: signedIn.cookie,
    });
    expect(prefixedOverHttp.status).toBe(401);

    const signedOut = await send({
      method: "POST",
      url: "/api/auth/sign-out",
      cookie: signedIn.cookie,
      csrf: signedIn.csrfToken,
    });
    expect(signedOut.status).toBe(200);
    expect(String(signedOut.headers["set-cookie"])).toMatch(/^__Host-gatehouse_session=;/);
  });

  it("issue 13 item 4: the CSRF check runs before the body is read: a malformed body without a valid token is a 403, not a 400", async () => {
    const admin = await seedActiveAdmin(t.database);
    const send = viaInject(t.app);
    const signedIn = await signInBy(send, admin, BARE);
    const malformed = (headers: Record<string, string>, payload = "{not json") =>
      t.app.inject({
        method: "PATCH",
        url: "/api/profile",
        headers: { cookie: signedIn.cookie, "content-type": "application/json", ...headers },
        payload,
      });
    const withoutToken: Record<string, string>[] = [{}, { "x-csrf-token": "wrong-token" }];
    for (const headers of withoutToken) {
      const refused = await malformed(headers);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.code).toBe("csrf");
    }
    // A body type the API does not take is refused as forged too, before it is looked at.
    const plainText = await malformed({ "content-type": "text/plain" }, "hello");
    expect(plainText.statusCode).toBe(403);
    // With the right token the body is read, and its fault is named.
    const named = await malformed({ "x-csrf-token": signedIn.csrfToken });
    expect(named.statusCode).toBe(400);
    // Nobody signed in: refused before the body, too.
    const stranger = await t.app.inject({
      method: "PATCH",
      url: "/api/profile",
      headers: { "content-type": "application/json" },
      payload: "{not json",
    });
    expect(stranger.statusCode).toBe(401);
    const row = await t.db
      .selectFrom("admins")
      .select("name")
      .where("id", "=", admin.id)
      .executeTakeFirstOrThrow();
    expect(row.name).toBe("Test Admin");
  });
});

describe(`the Duo door and HTTPS served by Gatehouse itself (issue 13 item 4) on ${TEST_ENGINE}`, () => {
  let server: HttpsTestServer;
  let adminApi: { ikey: string; skey: string };
  let accountsApi: { ikey: string; skey: string };
  beforeAll(async () => {
    server = await startHttpsServer();
    const parentId = await insertAccount(server.database.handle.db, { name: "Northwind MSP" });
    adminApi = await createCredentials(server, parentId, "adminapi", ["adminapi_info"]);
    accountsApi = await createCredentials(server, parentId, "accountsapi");
  });
  afterAll(() => server.close());

  it("issue 13 item 4: every Duo door answer is Cache-Control: no-store, refusals included", async () => {
    const answers = [
      await server.app.inject(
        signedRequest({ ...adminApi, method: "GET", url: "/admin/v1/info/summary" }),
      ),
      await server.app.inject(
        signedRequest({ ...accountsApi, method: "POST", url: "/accounts/v1/account/list" }),
      ),
      await server.app.inject({ method: "GET", url: "/admin/v1/info/summary" }),
      await server.app.inject(
        signedRequest({ ...adminApi, method: "GET", url: "/admin/v1/users?limit=nonsense" }),
      ),
    ];
    expect(answers.map((answer) => [answer.statusCode, answer.headers["cache-control"]])).toEqual([
      [200, "no-store"],
      [200, "no-store"],
      [401, "no-store"],
      [answers[3]?.statusCode, "no-store"],
    ]);
    expect(answers[3]?.statusCode).toBeGreaterThanOrEqual(400);
  });

  it("issue 13 item 4: served over TLS, HSTS on every answer and sign-in works with the __Host- cookie (R-ADM-3)", async () => {
    const admin = await seedActiveAdmin(server.database);
    const send = overTls(server);
    const signedIn = await signInBy(send, admin, HOST_PREFIXED);
    expect(setCookie(signedIn.code, HOST_PREFIXED).attributes).toContain("secure");
    const session = await send({
      method: "GET",
      url: "/api/auth/session",
      cookie: signedIn.cookie,
    });
    expect(session.status).toBe(200);
    expect(session.headers["cache-control"]).toBe("no-store");
    for (const answer of [signedIn.password, signedIn.code, session])
      expect(answer.headers["strict-transport-security"]).toBe(HSTS);
    const health = await send({ method: "GET", url: "/healthz" });
    expect(health.headers["strict-transport-security"]).toBe(HSTS);
  });
});

/** Real HTTPS requests to the test server, trusting its self-signed certificate. */
function overTls(server: HttpsTestServer) {
  return (request: {
    method: "GET" | "POST" | "PATCH";
    url: string;
    body?: object;
    cookie?: string;
  }): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const payload = request.body ? JSON.stringify(request.body) : undefined;
      const outgoing = https.request(
        {
          host: "127.0.0.1",
          port: server.port,
          path: request.url,
          method: request.method,
          ca: server.cert,
          headers: {
            ...(payload ? { "content-type": "application/json" } : {}),
            ...(request.cookie ? { cookie: request.cookie } : {}),
          },
        },
        (response) => {
          let body = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => {
            body += chunk;
          });
          response.on("end", () =>
            resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
          );
        },
      );
      outgoing.on("error", reject);
      outgoing.end(payload);
    });
}
