import {
  DEFAULT_GLOBAL_SECTIONS,
  type NewUserBehavior,
  type PolicySections,
} from "../../authn/policy-sections.js";
import type { Executor } from "../../db/executor.js";
import type { NewUserPolicy } from "../../db/schema.js";
import type { UseCaseContext } from "../context.js";
import { impactOf, recordImpact } from "./impact.js";
import { placementOf, policyObject, policyRow } from "./read.js";

/**
 * Two account settings that are the global policy's since policies exist (0013_policies.sql), still
 * read and written under their settings names (Settings in the panel, /admin/v1/settings): the
 * new-user policy (`allow` is Duo's `no-mfa`) and "Remember me" in days (the remembered-devices
 * section; a setting in hours reads as the days it lasts, rounded up). Changing them is editing
 * the global policy: R-UNIT-8d keeps it read-only to restricted admins.
 */
export interface GlobalPolicySettings {
  new_user_policy: NewUserPolicy;
  remembered_browser_days: number | null;
}

const TO_BEHAVIOR: Record<NewUserPolicy, NewUserBehavior> = {
  enroll: "enroll",
  allow: "no-mfa",
  deny: "deny",
};
const TO_POLICY: Record<NewUserBehavior, NewUserPolicy> = {
  enroll: "enroll",
  "no-mfa": "allow",
  deny: "deny",
};

function settingsOf(sections: PolicySections): GlobalPolicySettings {
  const newUser = sections.new_user ?? DEFAULT_GLOBAL_SECTIONS.new_user;
  const browser = (sections.remembered_devices ?? DEFAULT_GLOBAL_SECTIONS.remembered_devices)
    .browser_apps;
  const { max_time_value: value, max_time_units: units } = browser.user_based;
  return {
    new_user_policy: TO_POLICY[newUser.new_user_behavior],
    remembered_browser_days: browser.enabled
      ? units === "days"
        ? value
        : Math.ceil(value / 24)
      : null,
  };
}

export async function readGlobalPolicySettings(
  executor: Executor,
  accountId: string,
): Promise<GlobalPolicySettings> {
  const row = await executor
    .selectFrom("policies")
    .select("sections")
    .where("account_id", "=", accountId)
    .where("is_global", "=", true)
    .executeTakeFirst();
  return settingsOf((row?.sections ?? {}) as PolicySections);
}

/** Writes the settings given into the global policy's sections (already checked by the caller). */
export async function writeGlobalPolicySettings(
  ctx: UseCaseContext,
  change: Partial<GlobalPolicySettings>,
): Promise<void> {
  const row = await policyRow(ctx, "global");
  ctx.authorize("policies:update", {
    object: policyObject(row, await placementOf(ctx.tx, row.id)),
  });
  const sections = { ...((row.sections ?? {}) as PolicySections) };
  if (change.new_user_policy !== undefined)
    sections.new_user = { new_user_behavior: TO_BEHAVIOR[change.new_user_policy] };
  if (change.remembered_browser_days !== undefined) {
    const browser = (sections.remembered_devices ?? DEFAULT_GLOBAL_SECTIONS.remembered_devices)
      .browser_apps;
    const days = change.remembered_browser_days;
    sections.remembered_devices = {
      browser_apps: {
        enabled: days !== null,
        user_based:
          days === null
            ? browser.user_based
            : { ...browser.user_based, max_time_value: days, max_time_units: "days" },
      },
    };
  }
  // R-POL-3: the change's impact, on the policies as they are, before it is written.
  const impact = await impactOf(ctx, {
    id: row.id,
    name: row.name,
    sections,
    next: { applicationIds: [], groups: [] },
  });
  await ctx.tx
    .updateTable("policies")
    .set({ sections: JSON.stringify(sections), updated_at: new Date() })
    .where("id", "=", row.id)
    .execute();
  await recordImpact(ctx, "policy_update", { id: row.id, name: row.name }, impact);
}
