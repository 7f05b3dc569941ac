import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "../../helpers/app.js";
import { TEST_ENGINE } from "../../helpers/engine.js";

describe(`the OpenAPI document and its viewer on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it("GET /api/openapi.json is public and lists every /api route with its schemas", async () => {
    const response = await t.app.inject({ method: "GET", url: "/api/openapi.json" });
    expect(response.statusCode).toBe(200);
    const doc = response.json();
    expect(doc.openapi).toMatch(/^3\./);
    const documented = new Set(
      Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
        ([path, methods]) =>
          Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );
    // Every registered /api route but the docs' own is in the document ({param} for :param).
    const routes = t.app.routeList
      .filter((route) => route.url.startsWith("/api/"))
      .filter((route) => !route.url.startsWith("/api/docs") && route.url !== "/api/openapi.json")
      .map((route) => `${route.method} ${route.url.replace(/:(\w+)/g, "{$1}")}`);
    expect(routes.length).toBeGreaterThan(10);
    expect(routes.filter((key) => !documented.has(key))).toEqual([]);
    for (const key of [
      "GET /api/switcher",
      "POST /api/switcher",
      "GET /api/access-summary.csv",
      "POST /api/explain",
      "POST /api/simulate",
      "GET /api/audit-log",
      "GET /api/audit-log.csv",
      "GET /api/accounts",
      "PATCH /api/accounts/{accountId}",
      "POST /api/auth/sign-in",
    ])
      expect(documented).toContain(key);
    expect([...documented].some((key) => key.includes("/api/docs"))).toBe(false);
    expect(documented).not.toContain("GET /api/openapi.json");

    const switcher = doc.paths["/api/switcher"].post;
    expect(switcher.requestBody.content["application/json"].schema.required).toEqual([
      "account_id",
    ]);
    expect(switcher.responses["200"].content["application/json"].schema.properties).toHaveProperty(
      "accounts",
    );
    const csv = doc.paths["/api/audit-log.csv"].get;
    expect(csv.responses["200"].content).toHaveProperty("text/csv");
    expect(csv.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(["actor", "action", "object", "account", "from", "to"]),
    );
  });

  it("GET /api/docs renders Swagger UI without signing in; other routes still need a session", async () => {
    const page = await t.app.inject({ method: "GET", url: "/api/docs" });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toContain("text/html");
    const initializer = await t.app.inject({
      method: "GET",
      url: "/api/docs/static/swagger-initializer.js",
    });
    expect(initializer.statusCode).toBe(200);
    const asset = await t.app.inject({ method: "GET", url: "/api/docs/static/swagger-ui.css" });
    expect(asset.statusCode).toBe(200);
    const json = await t.app.inject({ method: "GET", url: "/api/docs/json" });
    expect(json.statusCode).toBe(200);
    expect(json.json().paths).toHaveProperty("/api/switcher");
    expect((await t.app.inject({ method: "GET", url: "/api/switcher" })).statusCode).toBe(401);
  });

  it("the docs' own routes are declared public, so the panel guard and the route table see them so", () => {
    const docs = t.app.routeList.filter(
      (route) => route.url.startsWith("/api/docs") || route.url === "/api/openapi.json",
    );
    expect(docs.length).toBeGreaterThan(3);
    expect(docs.filter((route) => route.config.public !== true)).toEqual([]);
  });
});
