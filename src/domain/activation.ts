import type { Executor } from "../db/executor.js";
import { newId, newToken } from "../db/ids.js";

export interface ActivationLink {
  url: string;
  expiresAt: Date;
}

/**
 * R-ADM-2: a single-use activation link for a pending admin. Only the token's hash is stored, so
 * the link is shown once, to whoever created it.
 */
export async function createActivationLink(
  executor: Executor,
  input: { adminId: string; validDays: number; publicUrl: string; now?: Date },
): Promise<ActivationLink> {
  const { token, hash } = newToken();
  const now = input.now ?? new Date();
  const expiresAt = new Date(now.getTime() + input.validDays * 86_400_000);
  await executor
    .insertInto("admin_activations")
    .values({
      id: newId("activation"),
      admin_id: input.adminId,
      token_hash: hash,
      expires_at: expiresAt,
      created_at: now,
    })
    .execute();
  return { url: `${input.publicUrl}/activate/${token}`, expiresAt };
}
