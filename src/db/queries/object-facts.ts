import type { TargetObject } from "../../authz/model.js";
import type { Executor } from "../executor.js";

export const OBJECT_KINDS = ["user", "group", "application", "admin"] as const;
export type ObjectKind = (typeof OBJECT_KINDS)[number];

/** The facts about one object that unit scope needs (a user's groups, an application's type), or undefined if absent. */
export async function loadObjectFacts(
  executor: Executor,
  accountId: string,
  kind: ObjectKind,
  id: string,
): Promise<TargetObject | undefined> {
  switch (kind) {
    case "user": {
      const user = await executor
        .selectFrom("users")
        .select("id")
        .where("id", "=", id)
        .where("account_id", "=", accountId)
        .executeTakeFirst();
      if (!user) return undefined;
      const groups = await executor
        .selectFrom("group_members")
        .select("group_id")
        .where("user_id", "=", id)
        .execute();
      return { kind, id, groupIds: groups.map((row) => row.group_id) };
    }
    case "group": {
      const group = await executor
        .selectFrom("groups")
        .select("id")
        .where("id", "=", id)
        .where("account_id", "=", accountId)
        .executeTakeFirst();
      return group ? { kind, id } : undefined;
    }
    case "application": {
      const app = await executor
        .selectFrom("applications")
        .select(["id", "type"])
        .where("id", "=", id)
        .where("account_id", "=", accountId)
        .executeTakeFirst();
      return app ? { kind, id, type: app.type } : undefined;
    }
    case "admin": {
      const admin = await executor
        .selectFrom("admins")
        .select("id")
        .where("id", "=", id)
        .executeTakeFirst();
      return admin ? { kind, id } : undefined;
    }
  }
}
