import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAction } from "../../../src/authz/index.js";
import { buildTestApp, type TestApp } from "../../helpers/app.js";

/** Like the panel's route table: no Duo route without an action the engine decides before it. */
describe("every Duo API route", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it("declares an action the engine knows, and is never public", () => {
    const routes = t.app.routeList.filter((route) => /^\/(admin|accounts)\//.test(route.url));
    expect(routes.length).toBeGreaterThan(0);
    const wrong = routes
      .filter(
        (route) =>
          route.config.public ||
          route.config.action === undefined ||
          !isAction(route.config.action),
      )
      .map((route) => `${route.method} ${route.url}`);
    expect(wrong).toEqual([]);
  });

  it("the Accounts API's routes are all POST and restricted to Accounts API integrations", () => {
    const accounts = t.app.routeList.filter((route) => route.url.startsWith("/accounts/"));
    for (const route of accounts) {
      expect(route.method).toBe("POST");
      expect(route.config.duoFamily).toBe("accounts");
    }
  });
});
