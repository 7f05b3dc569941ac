import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "../helpers/app.js";

describe("the web panel's files at /", () => {
  let t: TestApp;
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), "gatehouse-web-"));
    await mkdir(path.join(root, "assets"));
    await writeFile(path.join(root, "index.html"), "<!doctype html><title>panel</title>");
    await writeFile(path.join(root, "assets", "index-abc123.js"), "console.log(1)");
    t = await buildTestApp({ webRoot: root });
  });
  afterAll(async () => {
    await t.close();
    await rm(root, { recursive: true, force: true });
  });

  it("serves index.html for the panel's own paths, never cached, with a CSP and no Referer", async () => {
    for (const url of ["/", "/activate/abcdefghijklmnopqrstuvwx", "/users/DU123?tab=devices"]) {
      const response = await t.app.inject({ method: "GET", url });
      expect(response.statusCode, url).toBe(200);
      expect(response.body).toContain("<title>panel</title>");
      expect(response.headers["cache-control"]).toBe("no-cache");
      expect(response.headers["content-security-policy"]).toContain("script-src 'self'");
      expect(response.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
      expect(response.headers["referrer-policy"]).toBe("no-referrer");
    }
  });

  it("serves hashed assets for a year, and a missing one is a 404, not index.html", async () => {
    const asset = await t.app.inject({ method: "GET", url: "/assets/index-abc123.js" });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers["cache-control"]).toContain("immutable");
    const missing = await t.app.inject({ method: "GET", url: "/assets/index-missing.js" });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers["content-type"]).toContain("application/json");
  });

  it("leaves the server's own paths to the server: the panel API's JSON 404 and Duo's envelope", async () => {
    const api = await t.app.inject({ method: "GET", url: "/api/no-such-route" });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe("not_found");
    for (const url of ["/admin/v1/no-such", "/accounts/v1/no-such"]) {
      const duo = await t.app.inject({ method: "GET", url });
      expect(duo.statusCode, url).toBe(404);
      expect(duo.json()).toMatchObject({ stat: "FAIL", code: 40401 });
    }
    const health = await t.app.inject({ method: "GET", url: "/healthz" });
    expect(health.statusCode).toBe(200);
  });
});
