import { Button, Group, Modal, MultiSelect, Stack, Text, TextInput } from "@mantine/core";
import { IconPlus } from "@tabler/icons-react";
import { type FormEvent, useState } from "react";
import { DialogActions } from "../components/dialog-actions.js";
import { IN_DIALOG_COMBOBOX, IN_DIALOG_DROPDOWN_HEIGHT } from "../components/in-dialog.js";
import { Explained } from "../components/rule-link.js";
import { WhyLink } from "../components/why-link.js";

const MAX_TAG_LENGTH = 64;

/**
 * R-TAG-3: the access tags of the account being added or edited: a searchable pick of the tags
 * that exist (GET /api/tags, plus any chosen but not yet saved) and "Add Access Tag" for a new one.
 * Nothing is created here; saving the account assigns, and so creates, the tags.
 */
export function TagPicker({
  value,
  onChange,
  existing,
  allowed,
  onAddTag,
}: {
  value: readonly string[];
  onChange: (tags: string[]) => void;
  existing: readonly string[] | undefined;
  /** tags:manage (R-SUB-4): Owners only; otherwise the picker is read-only with a "Why?". */
  allowed: boolean;
  onAddTag: () => void;
}) {
  // R-TAG-1: case-sensitive, so "EU" and "eu" are two options; the order is the server's (code points).
  const options = [...new Set([...(existing ?? []), ...value])].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return (
    <Stack gap={6}>
      <MultiSelect
        label="Access tags"
        description={
          <Explained rules={["R-TAG-2", "R-TAG-1"]}>
            An administrator who is not an Owner can open this account only if they share a tag with
            it, or if it has none. Capitals count: “EU” and “eu” are two tags.
          </Explained>
        }
        placeholder={value.length === 0 ? "Search tags" : undefined}
        data={options}
        value={[...value]}
        onChange={onChange}
        searchable
        clearable
        disabled={!allowed || existing === undefined}
        nothingFoundMessage="No tag matches. Use Add Access Tag to create one."
        maxDropdownHeight={IN_DIALOG_DROPDOWN_HEIGHT}
        comboboxProps={IN_DIALOG_COMBOBOX}
      />
      <Group gap="xs">
        <Button
          variant="subtle"
          size="compact-sm"
          leftSection={<IconPlus size={14} aria-hidden />}
          onClick={onAddTag}
          disabled={!allowed}
        >
          Add Access Tag
        </Button>
        {allowed ? null : <WhyLink query={{ action: "tags:manage" }} />}
      </Group>
    </Stack>
  );
}

/**
 * R-TAG-3's "Add Access Tag" dialog: confirming puts the new tag in the account form's selection
 * only; Cancel, the close button or Escape leave everything as it was, and no tag exists until
 * the account is saved with it.
 */
export function AddAccessTagDialog({
  opened,
  selected,
  onAdd,
  onClose,
}: {
  opened: boolean;
  selected: readonly string[];
  onAdd: (tag: string) => void;
  onClose: () => void;
}) {
  const [name, setName] = useState("");
  const [error, setError] = useState<string>();
  const close = () => {
    setName("");
    setError(undefined);
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // The server trims too (src/domain/accounts/tags.ts): what is added is what will be saved.
    const tag = name.trim();
    if (tag.length === 0) return setError("Type the tag's name");
    if (tag.length > MAX_TAG_LENGTH)
      return setError(`At most ${MAX_TAG_LENGTH} characters (${tag.length} now)`);
    if (selected.includes(tag)) return setError(`"${tag}" is already among this account's tags`);
    onAdd(tag);
    close();
  };
  return (
    <Modal opened={opened} onClose={close} title="Add Access Tag" size="sm">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput
            label="Tag name"
            description={
              <Explained rules={["R-TAG-1"]}>Capitals count: “EU” and “eu” are two tags.</Explained>
            }
            value={name}
            onChange={(event) => {
              setName(event.currentTarget.value);
              setError(undefined);
            }}
            error={error}
            maxLength={MAX_TAG_LENGTH + 20}
            required
            data-autofocus
          />
          <Text size="sm" c="dimmed">
            <Explained rules={["R-TAG-3"]}>
              The tag is added to this account's selection. It is created when you save the account,
              and can then be given to administrators and other accounts.
            </Explained>
          </Text>
          <DialogActions onCancel={close} label="Add Access Tag" />
        </Stack>
      </form>
    </Modal>
  );
}
