import { Alert, Badge, type CSSVariablesResolver, createTheme, Modal } from "@mantine/core";

/**
 * Mantine's theme, darkened where its defaults fall short of WCAG AA contrast on white (the e2e
 * tests run axe-core on every page): filled buttons at shade 8, dimmed text at gray 7, the "light"
 * variants' text (alerts, badges) at shade 9 or darker, and alert titles in the body colour.
 * Badges never cut their words short ("PENDING ACTIVA…"): they size to their text, and wrap it
 * onto a second line rather than hide it where the column is narrow.
 */
export const theme = createTheme({
  primaryColor: "indigo",
  primaryShade: { light: 8, dark: 6 },
  fontFamily:
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', sans-serif",
  defaultRadius: "sm",
  components: {
    Alert: Alert.extend({ styles: { title: { color: "var(--mantine-color-text)" } } }),
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { "aria-label": "Close dialog" } } }),
    Badge: Badge.extend({
      styles: {
        root: {
          height: "auto",
          minHeight: "var(--badge-height)",
          maxWidth: "100%",
          flexShrink: 0,
          paddingBlock: 2,
        },
        label: {
          overflow: "visible",
          textOverflow: "clip",
          whiteSpace: "normal",
          overflowWrap: "anywhere",
          textAlign: "center",
          lineHeight: 1.25,
        },
      },
    }),
  },
});

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    "--mantine-color-dimmed": "var(--mantine-color-gray-7)",
    // Field errors: Mantine's red 6 is 3.3:1 on white.
    "--mantine-color-error": "var(--mantine-color-red-9)",
    "--mantine-color-placeholder": "var(--mantine-color-gray-6)",
    // Red on the light red of badges and hovered buttons: red 9 is only 4.5:1 on #ffe3e3.
    "--mantine-color-red-light-color": "#a61e1e",
    "--mantine-color-grape-light-color": "var(--mantine-color-grape-9)",
    "--mantine-color-teal-light-color": "#05603f",
    "--mantine-color-yellow-light-color": "#7a4a00",
    "--mantine-color-indigo-light-color": "var(--mantine-color-indigo-9)",
    // Hovered light and subtle controls (the active nav link): Mantine's indigo 2 gives 4.1:1.
    "--mantine-color-indigo-light-hover": "var(--mantine-color-indigo-1)",
  },
  dark: {},
});
