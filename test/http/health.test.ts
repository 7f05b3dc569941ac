import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readMigrations } from "../../src/db/migrate.js";
import { buildApp } from "../../src/http/app.js";
import { buildTestApp, type TestApp } from "../helpers/app.js";
import { TEST_ENGINE } from "../helpers/engine.js";

describe(`health endpoints on ${TEST_ENGINE}`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it("GET /healthz answers ok", async () => {
    const response = await t.app.inject({ method: "GET", url: "/healthz" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: "ok" });
  });

  it("GET /readyz is ready when the database answers and every migration is applied", async () => {
    const response = await t.app.inject({ method: "GET", url: "/readyz" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: "ready", database: TEST_ENGINE });
  });

  it("GET /readyz is 503 while a migration this build ships is not applied", async () => {
    const ahead = [
      ...(await readMigrations()),
      { name: "9999_future", sql: "select 1", checksum: "x" },
    ];
    const app = await buildApp({
      database: t.database.handle,
      secrets: t.database.secrets,
      migrations: ahead,
    });
    const response = await app.inject({ method: "GET", url: "/readyz" });
    expect(response.statusCode).toBe(503);
    expect(response.json().reason).toContain("9999_future");
  });

  it("echoes a sane x-request-id and mints one otherwise", async () => {
    const kept = await t.app.inject({
      method: "GET",
      url: "/healthz",
      headers: { "x-request-id": "lb-123" },
    });
    expect(kept.headers["x-request-id"]).toBe("lb-123");
    const minted = await t.app.inject({
      method: "GET",
      url: "/healthz",
      headers: { "x-request-id": "bad id\u0000" },
    });
    expect(minted.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers unknown routes with the JSON error shape", async () => {
    const response = await t.app.inject({ method: "GET", url: "/nope" });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: { code: "not_found" } });
  });
});
