import { NumberInput, Paper, Stack, Title } from "@mantine/core";
import type { ReactNode } from "react";

/** One group of settings, a labelled region of the page. */
export function SettingsSection({
  title,
  description,
  children,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
}) {
  const id = `settings-${title.toLowerCase().replace(/[^a-z]+/g, "-")}`;
  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-labelledby={id} maw={640}>
      <Title order={3} size="h4" mb={description ? 4 : "sm"} id={id}>
        {title}
      </Title>
      {description}
      <Stack gap="sm" mt={description ? "sm" : 0}>
        {children}
      </Stack>
    </Paper>
  );
}

/**
 * A whole-number setting. No clamping in the browser: the server checks the range and names the
 * setting at fault, so what was typed is what is judged. Blank is "" (not sent; the form says so).
 */
export function NumberSetting(props: {
  label: string;
  description: string;
  value: number | "" | null;
  onChange: (value: number | "") => void;
  error: string | undefined;
  disabled?: boolean;
}) {
  return (
    <NumberInput
      label={props.label}
      description={props.description}
      value={props.value ?? ""}
      onChange={(value) => props.onChange(typeof value === "number" ? value : "")}
      allowDecimal={false}
      allowNegative={false}
      clampBehavior="none"
      error={props.value === "" && !props.disabled ? "Enter a whole number" : props.error}
      disabled={props.disabled}
      maw={440}
    />
  );
}
