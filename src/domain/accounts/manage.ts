import { EDITIONS, type Edition } from "../../authz/index.js";
import { newId } from "../../db/ids.js";
import { changedFields } from "../audit.js";
import type { UseCaseContext } from "../context.js";
import { Conflict, Invalid, NotFound } from "../errors.js";
import { parseName } from "../validate.js";
import { canEnter, getSubaccount, type SubaccountView } from "./subaccounts.js";
import { parseTags, replaceSubaccountTags } from "./tags.js";

export interface NewSubaccount {
  name: string;
  edition?: Edition;
  nfr?: boolean;
  /** R-TAG-3: assigning a tag that no one has yet creates it. */
  tags?: string[];
}

/** R-TEN-1, R-TEN-3, R-TEN-4, R-TAG-3: Add Account, at the parent. */
export async function createSubaccount(
  ctx: UseCaseContext,
  input: NewSubaccount,
): Promise<SubaccountView> {
  ctx.authorize("subaccounts:create");
  const tags = parseTags("tags", input.tags ?? []);
  if (tags.length > 0) ctx.authorize("tags:manage");
  const edition = parseEdition(input.edition ?? ctx.snapshot.parent.edition);
  const row = {
    id: newId("account"),
    parent_id: ctx.accountId,
    name: await unusedName(ctx, input.name),
    edition,
    nfr: input.nfr ?? false,
  };
  await ctx.tx.insertInto("accounts").values(row).execute();
  await replaceSubaccountTags(ctx.tx, row.id, tags);
  await ctx.audit({
    action: "account_create",
    object: { kind: "account", id: row.id, name: row.name },
    after: { name: row.name, edition, nfr: row.nfr, tags },
  });
  return {
    id: row.id,
    name: row.name,
    edition,
    nfr: row.nfr,
    tags,
    accessible: true,
    created_at: new Date().toISOString(),
  };
}

export interface SubaccountChange {
  name?: string;
  edition?: Edition;
  nfr?: boolean;
  tags?: string[];
}

/**
 * Edit Account: rename and NFR (subaccounts:rename), edition (edition:change, R-PLAN-2: nothing
 * saved is lost on a downgrade), access tags (tags:manage, R-SUB-4). Each field asks for its own
 * permission, and the subaccount must be one the caller can enter (R-TAG-2).
 */
export async function updateSubaccount(
  ctx: UseCaseContext,
  id: string,
  change: SubaccountChange,
): Promise<SubaccountView> {
  const before = await getSubaccount(ctx, id);
  const set: { name?: string; edition?: Edition; nfr?: boolean } = {};
  if (change.name !== undefined || change.nfr !== undefined) ctx.authorize("subaccounts:rename");
  if (change.name !== undefined) set.name = await unusedName(ctx, change.name, id);
  if (change.nfr !== undefined) set.nfr = change.nfr;
  if (change.edition !== undefined) {
    ctx.authorize("edition:change");
    set.edition = parseEdition(change.edition);
  }
  const tags = change.tags === undefined ? undefined : parseTags("tags", change.tags);
  if (tags !== undefined) ctx.authorize("tags:manage");
  if (Object.keys(set).length > 0)
    await ctx.tx.updateTable("accounts").set(set).where("id", "=", id).execute();
  if (tags !== undefined) await replaceSubaccountTags(ctx.tx, id, tags);
  const after = { ...before, ...set, ...(tags === undefined ? {} : { tags }) };
  if (tags !== undefined) {
    // New tags may open or close the subaccount to the caller: ask the rules as they now stand.
    const now = await ctx.services.snapshots.load(ctx.tx, ctx.tenantId, {
      forUpdate: false,
      cacheable: false,
    });
    after.accessible = canEnter(now, ctx.caller.principal, id);
  }
  await ctx.audit({
    action: "account_update",
    object: { kind: "account", id, name: after.name },
    before: changedFields(before, after),
    after: changedFields(after, before),
  });
  return after;
}

/**
 * Deletes a subaccount and everything in it. Refused while it still holds users, groups,
 * applications or administrators, unless `force` says the caller means it.
 */
export async function deleteSubaccount(
  ctx: UseCaseContext,
  id: string,
  options: { force: boolean },
): Promise<void> {
  const before = await getSubaccount(ctx, id);
  ctx.authorize("subaccounts:delete");
  if (!options.force) {
    const held = await countObjects(ctx, id);
    const named = Object.entries(held).filter(([, n]) => n > 0);
    if (named.length > 0) {
      throw new Conflict(
        `${before.name} still has ${named.map(([kind, n]) => `${n} ${kind}`).join(", ")}; delete them first, or delete with force to remove everything in it`,
        undefined,
        "force",
      );
    }
  }
  const deleted = await ctx.tx.deleteFrom("accounts").where("id", "=", id).executeTakeFirst();
  if (deleted.numDeletedRows === 0n) throw new NotFound("subaccount", id);
  await ctx.audit({
    action: "account_delete",
    object: { kind: "account", id, name: before.name },
    before: { name: before.name, edition: before.edition, nfr: before.nfr, tags: before.tags },
    after: { forced: options.force },
  });
}

async function countObjects(ctx: UseCaseContext, accountId: string) {
  const count = (table: "users" | "groups" | "applications" | "admins") =>
    ctx.tx
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("account_id", "=", accountId)
      .executeTakeFirstOrThrow()
      .then((row) => Number(row.n));
  const [users, groups, applications, administrators] = await Promise.all([
    count("users"),
    count("groups"),
    count("applications"),
    count("admins"),
  ]);
  return { users, groups, applications, administrators };
}

/** Subaccount names are unique under their parent, whatever the case (the tenant lock makes this check race-free). */
async function unusedName(ctx: UseCaseContext, value: string, self?: string): Promise<string> {
  const name = parseName("name", value);
  const taken = await ctx.tx
    .selectFrom("accounts")
    .select("id")
    .where("parent_id", "=", ctx.tenantId)
    .where((eb) => eb(eb.fn("lower", ["name"]), "=", name.toLowerCase()))
    .executeTakeFirst();
  if (taken && taken.id !== self)
    throw new Conflict(`a subaccount named "${name}" already exists`, undefined, "name");
  return name;
}

export function parseEdition(value: string): Edition {
  if (!(EDITIONS as readonly string[]).includes(value))
    throw new Invalid("edition", `must be one of ${EDITIONS.join(", ")}`);
  return value as Edition;
}
