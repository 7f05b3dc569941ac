import { PasswordInput } from "@mantine/core";
import { type ReactNode, useId } from "react";

/**
 * Mantine's PasswordInput shows its error but leaves the input without aria-invalid and without a
 * reference to the message; this one ties them, so a screen reader reads the policy's sentence.
 */
export function PasswordField(props: {
  label: string;
  description?: ReactNode;
  autoComplete: string;
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
}) {
  const id = useId();
  const describedBy = [
    props.error ? `${id}-error` : "",
    props.description ? `${id}-description` : "",
  ]
    .filter(Boolean)
    .join(" ");
  return (
    <PasswordInput
      id={id}
      label={props.label}
      description={props.description}
      inputWrapperOrder={["label", "input", "description", "error"]}
      autoComplete={props.autoComplete}
      required
      value={props.value}
      onChange={(event) => props.onChange(event.currentTarget.value)}
      error={props.error}
      aria-invalid={props.error ? true : undefined}
      aria-describedby={describedBy || undefined}
    />
  );
}
