import { ActionIcon, CopyButton, TextInput, Tooltip } from "@mantine/core";
import { IconCheck, IconCopy } from "@tabler/icons-react";

/** A value shown read-only, labelled, with a button that copies it (a key, a secret, a link). */
export function CopyField({
  label,
  value,
  testId,
  description,
}: {
  label: string;
  value: string;
  testId: string;
  description?: string;
}) {
  return (
    <TextInput
      label={label}
      description={description}
      value={value}
      readOnly
      data-testid={testId}
      styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
      rightSectionWidth={42}
      rightSection={
        <CopyButton value={value}>
          {({ copied, copy }) => (
            <Tooltip label={copied ? "Copied" : `Copy ${label.toLowerCase()}`} withArrow>
              <ActionIcon
                variant="subtle"
                color={copied ? "teal" : "gray"}
                onClick={copy}
                aria-label={copied ? `${label} copied` : `Copy ${label.toLowerCase()}`}
              >
                {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
              </ActionIcon>
            </Tooltip>
          )}
        </CopyButton>
      }
    />
  );
}
