import { Checkbox, Modal, Stack, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../api/client.js";
import type { DecisionQuery } from "../api/decisions.js";
import { ActionButton } from "../components/action-button.js";
import { DialogActions } from "../components/dialog-actions.js";
import { notifyDone, RefusalBanner } from "../components/refusal.js";
import type { DeviceUser } from "./device-api.js";
import type { User } from "./user-api.js";

interface RemoveDeviceProps {
  user: User;
  /** "phone" or "hardware token", as the sentences name it. */
  noun: string;
  /** The device's name in the dialog, e.g. its number or its serial. */
  name: string;
  /** The user's link to the device (DELETE detaches) and the device itself (DELETE deletes it). */
  linkPath: string;
  devicePath: string;
  /** The other users the admin sees on the device: deleting it would take it from them too. */
  otherUsers: DeviceUser[];
  query: DecisionQuery;
  onRemoved: () => void;
}

/**
 * Remove a phone or token from a user, confirmed in a dialog: deleted from the account, unless
 * another user the admin can see shares it (then only detached), so no orphan device is left.
 * A refusal stays in the dialog so the admin reads why.
 */
export function RemoveDevice(props: RemoveDeviceProps) {
  const { user, noun, name, otherUsers } = props;
  const [opened, { open, close }] = useDisclosure(false);
  const shared = otherUsers.length > 0;
  const [deleteToo, setDeleteToo] = useState(!shared);
  const removal = useMutation({
    // One request, so a refusal changes nothing: deleting takes the device's links with it (and
    // a device detached first would be in no unit's scope, so a restricted admin could not find it).
    mutationFn: () => api.delete(deleteToo ? props.devicePath : props.linkPath),
    meta: { inline: true },
    onSuccess: () => {
      props.onRemoved();
      close();
      notifyDone(`${name} removed from ${user.username}`);
    },
  });
  return (
    <>
      <ActionButton size="xs" variant="default" color="red" query={props.query} onClick={open}>
        {`Remove ${name}`}
      </ActionButton>
      <Modal opened={opened} onClose={close} title={`Remove ${name} from ${user.username}?`}>
        <Stack gap="sm">
          <RefusalBanner error={removal.error} />
          <Text size="sm">
            {user.username} will no longer sign in with this {noun}.
            {shared
              ? ` It is also used by ${otherUsers.map((other) => other.username).join(", ")}.`
              : ""}
          </Text>
          <Checkbox
            label={`Also delete the ${noun} from the account`}
            description={
              shared
                ? `Its other users lose it too.`
                : `No other user you can see has this ${noun}.`
            }
            checked={deleteToo}
            onChange={(event) => setDeleteToo(event.currentTarget.checked)}
          />
          <DialogActions
            onCancel={close}
            label="Remove"
            loading={removal.isPending}
            onConfirm={() => removal.mutate()}
          />
        </Stack>
      </Modal>
    </>
  );
}
