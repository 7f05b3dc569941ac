import { describe, expect, it } from "vitest";
import { readMigrations } from "../../src/db/migrate.js";
import { buildApp } from "../../src/http/app.js";
import { listen } from "../../src/server.js";
import { openTestDatabase } from "../helpers/database.js";
import { TEST_ENGINE } from "../helpers/engine.js";

describe(`graceful shutdown on ${TEST_ENGINE}`, () => {
  it("completes an in-flight request, refuses new connections, then closes the database", async () => {
    const database = await openTestDatabase();
    const app = await buildApp({
      database: database.handle,
      secrets: database.secrets,
      migrations: await readMigrations(),
    });
    let release = () => {};
    const started = new Promise<void>((resolveStarted) => {
      app.get("/slow", { config: { public: true } }, async () => {
        resolveStarted();
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return { finished: true };
      });
    });
    const server = await listen(app, database.handle, { port: 0, host: "127.0.0.1" });
    const inFlight = fetch(`${server.url}/slow`).then(async (response) => ({
      status: response.status,
      body: await response.json(),
    }));
    await started;
    const stopping = server.stop();
    // The listener is closed at once: a new connection is refused while the slow request still runs.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    release();
    expect(await inFlight).toEqual({ status: 200, body: { finished: true } });
    await stopping;
    await expect(
      database.handle.db.selectFrom("accounts").select("id").execute(),
    ).rejects.toThrow();
    if (TEST_ENGINE === "postgres") await database.close().catch(() => {});
  });
});
