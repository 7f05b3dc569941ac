import { Modal, Stack, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useMutation } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useLocation } from "wouter";
import type { DecisionQuery } from "../api/decisions.js";
import { ActionButton } from "./action-button.js";
import { DialogActions } from "./dialog-actions.js";
import { notifyDone, RefusalBanner } from "./refusal.js";

interface ConfirmDeleteProps {
  /** The engine's question that offers the button (R-ROLE-2); denied, it says why. */
  query: DecisionQuery;
  /** The page's button, e.g. "Delete group". */
  label: string;
  icon?: ReactNode;
  /** The dialog's title and its sentence on what deleting does. */
  title: string;
  explanation: ReactNode;
  /** The dialog's button; "Delete" unless the page says otherwise ("Remove"). */
  confirmLabel?: string;
  /** The refusal's title when the server refuses; its own code's title (describeRefusal) otherwise. */
  refusalTitle?: string;
  /** Between Cancel and the action, e.g. a Preview of the deletion. */
  extra?: ReactNode;
  /** The request that deletes. */
  remove: () => Promise<unknown>;
  /** After the deletion, before the toast: forget and refresh what the cache held of the object. */
  onDeleted: () => void;
  /** The toast, and the page to go to (the deleted object's list). */
  doneMessage: string;
  backTo: string;
}

/**
 * A red button the engine gates, then a dialog to confirm: the server's refusal stays in the
 * dialog (not a toast), so the admin reads why and can cancel.
 */
export function ConfirmDelete({
  query,
  label,
  icon,
  title,
  explanation,
  confirmLabel = "Delete",
  refusalTitle,
  extra,
  remove,
  onDeleted,
  doneMessage,
  backTo,
}: ConfirmDeleteProps) {
  const [, navigate] = useLocation();
  const [opened, { open, close }] = useDisclosure(false);
  const deletion = useMutation({
    mutationFn: remove,
    meta: { inline: true },
    onSuccess: () => {
      onDeleted();
      notifyDone(doneMessage);
      navigate(backTo);
    },
  });
  return (
    <>
      <ActionButton query={query} onClick={open} color="red" variant="light" leftSection={icon}>
        {label}
      </ActionButton>
      <Modal opened={opened} onClose={close} title={title}>
        <Stack gap="sm">
          <RefusalBanner error={deletion.error} title={refusalTitle} />
          <Text size="sm">{explanation}</Text>
          <DialogActions
            onCancel={close}
            label={confirmLabel}
            loading={deletion.isPending}
            onConfirm={() => deletion.mutate()}
            extra={extra}
          />
        </Stack>
      </Modal>
    </>
  );
}
