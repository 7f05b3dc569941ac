import { TextInput } from "@mantine/core";

/** The 6-digit code of an authenticator app (TOTP): digits only, as the phone's keypad offers them. */
export function OneTimeCodeInput({
  value,
  onChange,
  autoFocus,
}: {
  value: string;
  onChange: (code: string) => void;
  autoFocus?: boolean;
}) {
  return (
    <TextInput
      label="Authentication code"
      description="The 6-digit code your authenticator app shows now."
      inputMode="numeric"
      autoComplete="one-time-code"
      maxLength={6}
      required
      value={value}
      onChange={(event) => onChange(event.currentTarget.value.replace(/\D/g, ""))}
      autoFocus={autoFocus}
    />
  );
}
