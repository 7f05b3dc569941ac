import {
  ACTION_NAMES,
  ACTIONS,
  type Action,
  accessSummaryRows,
  CAPABILITIES,
  compile,
  decide,
  isAction,
} from "../authz/index.js";
import { loadObjectFacts, OBJECT_KINDS, type ObjectKind } from "../db/queries/object-facts.js";
import { loadTenantModel } from "../db/queries/tenant-model.js";
import { Invalid, NotFound } from "../domain/errors.js";
import type { CommandEnvironment } from "./host.js";
import { type CommandOutput, print, printLines } from "./output.js";

/** `--action` names an action the engine knows, checked before anything opens the database. */
export function assertAction(action: string): asserts action is Action {
  if (!isAction(action))
    throw new Invalid("action", `unknown action "${action}"; \`gatehouse actions\` lists them`);
}

/** `gatehouse check`: the engine's decision and its reason, from the live database. Exit 3 when denied. */
export async function check(
  { storage }: CommandEnvironment,
  options: { admin: string; action: string; account: string; object?: string; json?: boolean },
  output: CommandOutput,
): Promise<number> {
  const action = options.action;
  assertAction(action);
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
  const decision = decide(snapshot, { kind: "admin", adminId: admin.id }, action, {
    accountId: account.id,
    object,
  });
  await print(
    output.stdout,
    options.json
      ? `${JSON.stringify(decision)}\n`
      : `${decision.allow ? "ALLOW" : "DENY"} (${decision.rule}) ${decision.reason}\n`,
  );
  return decision.allow ? 0 : 3;
}

/** `gatehouse access-summary`: R-SUM-1's CSV, streamed (`--out` is the host's redirection). */
export async function accessSummary(
  { storage }: CommandEnvironment,
  options: { account: string },
  output: CommandOutput,
): Promise<number> {
  const snapshot = compile(await loadTenantModel(storage.database.db, options.account));
  for (const row of accessSummaryRows(snapshot)) await print(output.stdout, `${row}\r\n`);
  return 0;
}

/** `gatehouse actions`: every action with the SPEC R-ROLE-2 row it implements. */
export async function listActions(
  options: { json?: boolean },
  output: CommandOutput,
): Promise<number> {
  const rows = ACTION_NAMES.map((name) => ({
    action: name,
    row: CAPABILITIES[ACTIONS[name].capability],
    description: ACTIONS[name].description,
  }));
  if (options.json) {
    await print(output.stdout, `${JSON.stringify(rows)}\n`);
    return 0;
  }
  const width = Math.max(...rows.map((r) => r.action.length));
  await printLines(
    output.stdout,
    rows.map((r) => `${r.action.padEnd(width)}  ${r.description}  [R-ROLE-2: ${r.row}]`),
  );
  return 0;
}
