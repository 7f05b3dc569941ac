import { Checkbox, Modal, Stack, Text } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api, queryString } from "../api/client.js";
import { DialogActions } from "../components/dialog-actions.js";
import { notifyDone, RefusalBanner } from "../components/refusal.js";
import { type Subaccount, useRefreshSubaccounts } from "./subaccount-data.js";

/** The server's "still holds objects; delete with force" answer (409 naming the field `force`). */
function needsForce(error: unknown): boolean {
  return error instanceof ApiError && error.code === "conflict" && error.field === "force";
}

/**
 * Deleting a subaccount, confirmed. The server refuses while it still holds users, groups,
 * applications or administrators and says how many; the dialog then shows that sentence and asks
 * for an explicit "delete everything in it" before sending `force`.
 */
export function DeleteSubaccountDialog({
  account,
  opened,
  onClose,
  onDeleted,
}: {
  account: Subaccount;
  opened: boolean;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const refresh = useRefreshSubaccounts();
  const [force, setForce] = useState(false);
  const remove = useMutation({
    mutationFn: (withForce: boolean) =>
      api.delete<{ ok: true }>(
        `/accounts/${account.id}${queryString({ force: withForce ? "true" : undefined })}`,
      ),
    meta: { inline: true },
    onSuccess: async () => {
      notifyDone(`${account.name} was deleted`);
      onDeleted();
      await refresh();
    },
  });
  const asksForce = needsForce(remove.error);
  const close = () => {
    setForce(false);
    remove.reset();
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={`Delete ${account.name}?`}>
      <Stack gap="sm">
        {asksForce ? (
          <RefusalBanner error={remove.error} title="This account is not empty" />
        ) : (
          <>
            <RefusalBanner error={remove.error} />
            <Text size="sm">
              The subaccount and its settings are removed for good. This cannot be undone.
            </Text>
          </>
        )}
        {asksForce ? (
          <Checkbox
            label="Also delete everything in it: its users, groups, applications and administrators"
            checked={force}
            onChange={(event) => setForce(event.currentTarget.checked)}
          />
        ) : null}
        <DialogActions
          onCancel={close}
          label={asksForce ? "Delete everything" : "Delete"}
          loading={remove.isPending}
          disabled={asksForce && !force}
          onConfirm={() => remove.mutate(asksForce && force)}
        />
      </Stack>
    </Modal>
  );
}
