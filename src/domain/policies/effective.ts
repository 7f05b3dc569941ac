import type { EffectivePolicy } from "../../authn/policy.js";
import { getApplication } from "../applications/list.js";
import { loadSubject } from "../authentication/subject.js";
import type { UseCaseContext } from "../context.js";
import { NotFound } from "../errors.js";
import { visibleUser } from "../users/view.js";
import { authorizeRead } from "./read.js";

/**
 * Issue 16 item 4: the policy that applies to a user on an application, section by section, with
 * the policy each setting comes from (R-POL-1): exactly what the next login would be decided on,
 * read by the same statement a login reads. For an application and a user the caller can see.
 */
export async function effectivePolicyFor(
  ctx: UseCaseContext,
  userId: string,
  applicationId: string,
): Promise<{
  user: { id: string; username: string };
  application: { id: string; name: string };
  policy: EffectivePolicy;
}> {
  authorizeRead(ctx);
  const user = await visibleUser(ctx, userId);
  const application = await getApplication(ctx, applicationId);
  const subject = await loadSubject(
    ctx.tx,
    { accountId: ctx.accountId, id: application.id },
    {
      userId: user.row.id,
    },
  );
  if (subject.user === null) throw new NotFound("user", userId);
  return {
    user: { id: user.row.id, username: user.row.username },
    application: { id: application.id, name: application.name },
    policy: subject.policy,
  };
}
