import { once } from "node:events";
import { createWriteStream } from "node:fs";
import {
  ACTION_NAMES,
  ACTIONS,
  accessSummaryRows,
  CAPABILITIES,
  compile,
  decide,
  isAction,
} from "../authz/index.js";
import type { Config } from "../config.js";
import { loadObjectFacts, OBJECT_KINDS, type ObjectKind } from "../db/queries/object-facts.js";
import { loadTenantModel } from "../db/queries/tenant-model.js";
import { Invalid, NotFound } from "../domain/errors.js";
import { openStorage } from "../storage.js";

/** `gatehouse check`: the engine's decision and its reason, from the live database. Exit 3 when denied. */
export async function check(
  config: Config,
  options: { admin: string; action: string; account: string; object?: string; json?: boolean },
): Promise<void> {
  if (!isAction(options.action))
    throw new Invalid(
      "action",
      `unknown action "${options.action}"; \`gatehouse actions\` lists them`,
    );
  const storage = await openStorage(config);
  try {
    const db = storage.database.db;
    const account = await db
      .selectFrom("accounts")
      .select(["id", "tenant_id"])
      .where("id", "=", options.account)
      .executeTakeFirst();
    if (!account) throw new NotFound("account", options.account);
    const admin = await db
      .selectFrom("admins")
      .select("id")
      .where((eb) => eb(eb.fn("lower", ["email"]), "=", options.admin.toLowerCase()))
      .where("tenant_id", "=", account.tenant_id)
      .executeTakeFirst();
    if (!admin)
      throw new NotFound(
        "administrator",
        options.admin,
        `no administrator ${options.admin} in the tenant of ${options.account}`,
      );
    let object: Awaited<ReturnType<typeof loadObjectFacts>>;
    if (options.object) {
      const [kind, id] = options.object.split(":");
      if (!kind || !id || !(OBJECT_KINDS as readonly string[]).includes(kind)) {
        throw new Invalid(
          "object",
          `expected <${OBJECT_KINDS.join("|")}>:<id>, got "${options.object}"`,
        );
      }
      object = await loadObjectFacts(db, account.id, kind as ObjectKind, id);
      if (!object) throw new NotFound(kind, id);
    }
    const snapshot = compile(await loadTenantModel(db, account.tenant_id));
    const decision = decide(snapshot, { kind: "admin", adminId: admin.id }, options.action, {
      accountId: account.id,
      object,
    });
    if (options.json) process.stdout.write(`${JSON.stringify(decision)}\n`);
    else console.log(`${decision.allow ? "ALLOW" : "DENY"} (${decision.rule}) ${decision.reason}`);
    process.exitCode = decision.allow ? 0 : 3;
  } finally {
    await storage.database.close();
  }
}

/** `gatehouse access-summary`: R-SUM-1's CSV, streamed to a file or stdout. */
export async function accessSummary(
  config: Config,
  options: { account: string; out?: string },
): Promise<void> {
  const storage = await openStorage(config);
  try {
    const snapshot = compile(await loadTenantModel(storage.database.db, options.account));
    const out = options.out ? createWriteStream(options.out) : process.stdout;
    for (const row of accessSummaryRows(snapshot)) {
      if (!out.write(`${row}\r\n`)) await once(out, "drain");
    }
    if (options.out) {
      out.end();
      await once(out, "finish");
      console.error(`wrote ${options.out}`);
    }
  } finally {
    await storage.database.close();
  }
}

/** `gatehouse actions`: every action with the SPEC R-ROLE-2 row it implements. */
export function listActions(options: { json?: boolean }): void {
  const rows = ACTION_NAMES.map((name) => ({
    action: name,
    row: CAPABILITIES[ACTIONS[name].capability],
    description: ACTIONS[name].description,
  }));
  if (options.json) {
    process.stdout.write(`${JSON.stringify(rows)}\n`);
    return;
  }
  const width = Math.max(...rows.map((r) => r.action.length));
  for (const r of rows)
    console.log(`${r.action.padEnd(width)}  ${r.description}  [R-ROLE-2: ${r.row}]`);
}
