import type { UseCaseContext } from "../context.js";
import { impactOf, type PolicyImpact } from "./impact.js";
import { type PolicyChange, planUpdate } from "./write.js";

/**
 * R-POL-3: what saving `change` to the policy `key` would change, checked and authorized as saving
 * it would be (planUpdate), written nowhere.
 */
export async function previewPolicyUpdate(
  ctx: UseCaseContext,
  key: string,
  change: PolicyChange,
  now = new Date(),
): Promise<PolicyImpact> {
  const plan = await planUpdate(ctx, key, change);
  return impactOf(
    ctx,
    { id: plan.row.id, name: plan.name, sections: plan.sections, next: plan.next },
    now,
  );
}
