import { sql } from "kysely";
import type { Executor } from "../../db/executor.js";
import type { UseCaseContext } from "../context.js";
import { Invalid } from "../errors.js";

const MAX_TAG_LENGTH = 64;
const MAX_TAGS = 100;

/** R-TAG-1: tags are names, case-sensitive: trimmed, 1 to 64 characters, each once ("Gov" and "gov" are two). */
export function parseTags(field: string, values: readonly string[]): string[] {
  if (values.length > MAX_TAGS) throw new Invalid(field, `at most ${MAX_TAGS} access tags`);
  const tags = new Set<string>();
  for (const value of values) {
    const tag = value.trim();
    if (tag.length < 1 || tag.length > MAX_TAG_LENGTH)
      throw new Invalid(field, `each access tag must be 1 to ${MAX_TAG_LENGTH} characters`);
    tags.add(tag);
  }
  return [...tags].sort();
}

/** R-TAG-3: assigning is what creates a tag; removing its last assignment makes it disappear. */
export async function replaceSubaccountTags(
  tx: Executor,
  accountId: string,
  tags: readonly string[],
): Promise<void> {
  await tx.deleteFrom("subaccount_tags").where("account_id", "=", accountId).execute();
  if (tags.length > 0)
    await tx
      .insertInto("subaccount_tags")
      .values(tags.map((tag) => ({ account_id: accountId, tag })))
      .execute();
}

export async function replaceAdminTags(
  tx: Executor,
  adminId: string,
  tags: readonly string[],
): Promise<void> {
  await tx.deleteFrom("admin_tags").where("admin_id", "=", adminId).execute();
  if (tags.length > 0)
    await tx
      .insertInto("admin_tags")
      .values(tags.map((tag) => ({ admin_id: adminId, tag })))
      .execute();
}

export interface TagUse {
  tag: string;
  subaccounts: number;
  admins: number;
}

/** R-TAG-3: the tags offered anywhere are those assigned to at least one subaccount or admin of the tenant. */
export async function listTags(ctx: UseCaseContext): Promise<TagUse[]> {
  ctx.authorize("subaccounts:list");
  const { rows } = await sql<TagUse>`
    select tag, sum(subaccounts)::int as subaccounts, sum(admins)::int as admins from (
      select t.tag, 1 as subaccounts, 0 as admins
        from subaccount_tags t join accounts a on a.id = t.account_id
       where a.tenant_id = ${ctx.tenantId}
      union all
      select t.tag, 0, 1
        from admin_tags t join admins a on a.id = t.admin_id
       where a.tenant_id = ${ctx.tenantId}
    ) uses
    group by tag
    order by tag collate "C"`.execute(ctx.tx);
  return rows;
}
