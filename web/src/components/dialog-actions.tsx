import { Button, Group, type MantineSpacing } from "@mantine/core";
import type { ReactNode } from "react";

interface DialogActionsProps {
  onCancel: () => void;
  /** The dialog's own action, last and rightmost. */
  label: ReactNode;
  loading?: boolean;
  disabled?: boolean;
  /**
   * Given, the action acts on click (a confirmation, red); otherwise it submits the dialog's form,
   * so Enter in a field does the same.
   */
  onConfirm?: () => void;
  /** Between Cancel and the action, e.g. a Preview of the change. */
  extra?: ReactNode;
  mt?: MantineSpacing;
}

/** A dialog's footer: Cancel, then its action, at the right. */
export function DialogActions({
  onCancel,
  label,
  loading,
  disabled,
  onConfirm,
  extra,
  mt,
}: DialogActionsProps) {
  return (
    <Group justify="flex-end" mt={mt}>
      <Button variant="default" onClick={onCancel}>
        Cancel
      </Button>
      {extra}
      <Button
        type={onConfirm ? undefined : "submit"}
        color={onConfirm ? "red" : undefined}
        loading={loading}
        disabled={disabled}
        onClick={onConfirm}
      >
        {label}
      </Button>
    </Group>
  );
}
