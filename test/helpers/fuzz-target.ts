import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import { newId, newSecretKey } from "../../src/db/ids.js";
import { readMigrations } from "../../src/db/migrate.js";
import type { Database } from "../../src/db/schema.js";
import { buildApp } from "../../src/http/app.js";
import { seedActiveAdmin } from "./admins.js";
import { openTestDatabase } from "./database.js";
import type { Credentials } from "./duo.js";
import {
  insertAccount,
  insertAdmin,
  insertApplication,
  insertGroup,
  insertUnit,
  insertUser,
} from "./fixtures.js";
import type { KnownIds } from "./fuzz-values.js";
import { PanelClient } from "./panel-client.js";
import { tableDigester } from "./table-digest.js";

export interface FuzzTarget {
  app: FastifyInstance;
  db: Kysely<Database>;
  /** An Owner of the paid parent account, signed in (session cookie and CSRF token). */
  owner: PanelClient;
  adminApi: Credentials;
  accountsApi: Credentials;
  ids: KnownIds;
  /** The parameter names the Duo door reads (its routes declare no schema). */
  duoVocabulary: string[];
  digest(): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/**
 * The app on a database of its own, with something of every kind to name: a parent account with a
 * subaccount, users, groups, a unit, admins and applications, and a stranger's account whose ids
 * must never answer. No rate limit gets in the way of the fuzz test's pace.
 */
export async function openFuzzTarget(): Promise<FuzzTarget> {
  const database = await openTestDatabase();
  const app = await buildApp({
    database: database.handle,
    secrets: database.secrets,
    migrations: await readMigrations(),
    throttle: { attemptsPerWindow: 1_000_000, windowSeconds: 60 },
    apiRequestsPerSecond: 1_000_000,
    authRequestsPerSecond: 1_000_000,
  });
  const db = database.handle.db;
  const parentId = await insertAccount(db, { name: "Fuzz MSP", edition: "Premier" });
  const childId = await insertAccount(db, { parentId, name: "Fuzz Child" });
  const strangerId = await insertAccount(db, { name: "Stranger Inc" });
  const groups = [await insertGroup(db, parentId), await insertGroup(db, parentId)];
  const users = [
    await insertUser(db, parentId, { username: "ana", realName: "Ana", groupIds: groups }),
    await insertUser(db, parentId, { username: "bo", realName: "Bo", groupIds: [] }),
  ];
  const strangerUser = await insertUser(db, strangerId, {
    username: "zed",
    realName: "Z",
    groupIds: [],
  });
  const unit = await insertUnit(db, parentId);
  const otherAdmin = await insertAdmin(db, { accountId: parentId });
  const app1 = await insertApplication(db, database.secrets, { accountId: parentId });
  const adminApi = await credentials(db, database.secrets, parentId, "adminapi");
  const accountsApi = await credentials(db, database.secrets, parentId, "accountsapi");
  const seeded = await seedActiveAdmin(database, { accountId: parentId, role: "Owner" });
  const owner = new PanelClient(app);
  await owner.signIn(seeded);
  const ids: KnownIds = {
    DA: [childId, strangerId],
    DU: [...users, strangerUser],
    DG: groups,
    DN: [unit],
    DE: [otherAdmin],
    DI: [app1],
    DP: [newId("phone")],
    DH: [newId("hardwareToken")],
    DB: [newId("bypassCode")],
    DX: [newId("activation")],
  };
  return {
    app,
    db,
    owner,
    adminApi,
    accountsApi,
    ids,
    duoVocabulary: await duoParameterNames(),
    digest: await tableDigester(db),
    async close() {
      await app.close();
      await database.close();
    },
  };
}

async function credentials(
  db: Kysely<Database>,
  secrets: Parameters<typeof insertApplication>[1],
  accountId: string,
  type: string,
): Promise<Credentials> {
  const skey = newSecretKey();
  const grants = type === "adminapi" ? ["adminapi_read_resource", "adminapi_write_resource"] : [];
  const ikey = await insertApplication(db, secrets, {
    accountId,
    type,
    secretKey: skey,
    grants: grants as never,
  });
  return { ikey, skey };
}

/** The names the Duo door's handlers read with ParamReader (`.string("username")`, ...). */
async function duoParameterNames(): Promise<string[]> {
  const dir = path.resolve(import.meta.dirname, "../../src/http/duo");
  const files = [
    ...(await readdir(dir)).map((name) => path.join(dir, name)),
    ...(await readdir(path.join(dir, "routes"))).map((name) => path.join(dir, "routes", name)),
  ].filter((file) => file.endsWith(".ts"));
  const names = new Set<string>(["alias1", "alias2"]);
  for (const file of files)
    for (const match of (await readFile(file, "utf8")).matchAll(
      /\.(?:string|required|int|bool|oneOf|list|has)\("([a-z_0-9]+)"/g,
    ))
      if (match[1]) names.add(match[1]);
  return [...names].sort();
}
