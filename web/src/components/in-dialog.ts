import type { ComboboxProps } from "@mantine/core";

/**
 * A dropdown inside a dialog opens above its field when there is room, so that its options never
 * lie over the dialog's buttons below (a click meant for Save must not pick an option); it flips
 * below only when the space above is too small, and stays short either way.
 */
export const IN_DIALOG_COMBOBOX: ComboboxProps = {
  withinPortal: true,
  position: "top",
  middlewares: { flip: true, shift: true },
};
export const IN_DIALOG_DROPDOWN_HEIGHT = 180;
