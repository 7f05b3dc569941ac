import { WEB_DIST } from "../../scripts/web.js";
import { readMigrations } from "../../src/db/migrate.js";
import { totpCode } from "../../src/domain/auth/totp.js";
import { buildApp } from "../../src/http/app.js";
import { openTestDatabase, type TestDatabase } from "../helpers/database.js";

export interface PanelServer {
  /** http://127.0.0.1:<ephemeral port> */
  url: string;
  database: TestDatabase;
  close(): Promise<void>;
}

/** The real server, listening on an ephemeral port, on a PGlite database of its own, serving web/dist. */
export async function startPanelServer(): Promise<PanelServer> {
  const database = await openTestDatabase();
  const app = await buildApp({
    database: database.handle,
    secrets: database.secrets,
    migrations: await readMigrations(),
    webRoot: WEB_DIST,
    // Every test signs in from 127.0.0.1: keep sign-in throttling (R-ADM-4) out of the way.
    throttle: { attemptsPerWindow: 10_000, windowSeconds: 60 },
  });
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  return {
    url,
    database,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

const lastStep = new Map<string, number>();

/**
 * A code an authenticator app would show for the secret: each call takes the next unused time step
 * (the server accepts one step of drift, and each code only once), as PanelClient.codeFor does.
 */
export function nextCode(secret: string): string {
  const step = Math.max((lastStep.get(secret) ?? -1) + 1, Math.floor(Date.now() / 30_000));
  lastStep.set(secret, step);
  return totpCode(secret, step * 30_000);
}

/** A code that is certainly wrong now: none of the three steps the server would accept. */
export function wrongCode(secret: string): string {
  const now = Math.floor(Date.now() / 30_000);
  const valid = new Set([-1, 0, 1, 2].map((delta) => totpCode(secret, (now + delta) * 30_000)));
  let candidate = 123_456;
  while (valid.has(String(candidate).padStart(6, "0"))) candidate += 1;
  return String(candidate).padStart(6, "0");
}
