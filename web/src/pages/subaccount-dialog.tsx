import { Button, Group, Modal, Select, Stack, Switch, TextInput } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { api } from "../api/client.js";
import { useDecision } from "../api/decisions.js";
import { fieldError, formError } from "../api/field-errors.js";
import { EDITIONS, type Edition } from "../api/types.js";
import { ActionButton } from "../components/action-button.js";
import { type ModelChange, PreviewButton } from "../components/change-preview.js";
import { notifyDone, RefusalBanner } from "../components/refusal.js";
import { WhyLink } from "../components/why-link.js";
import {
  type Subaccount,
  type SubaccountInput,
  useRefreshSubaccounts,
  useTags,
} from "./subaccount-data.js";
import { DeleteSubaccountDialog } from "./subaccount-delete.js";
import { AddAccessTagDialog, TagPicker } from "./subaccount-tags.js";

/** Errors about these show on their input; any other (tags included) in the banner on top. */
const FIELDS = ["name", "edition", "nfr"] as const;
const sameTags = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((tag, index) => tag === b[index]);

/** What the form says now, against the account as saved: only the fields that differ are sent. */
function changesOf(
  account: Subaccount | undefined,
  form: { name: string; edition: Edition | null; nfr: boolean; tags: string[] },
): SubaccountInput {
  const tags = [...form.tags].sort();
  if (!account)
    return {
      name: form.name,
      nfr: form.nfr,
      ...(form.edition ? { edition: form.edition } : {}),
      ...(tags.length > 0 ? { tags } : {}),
    };
  const change: SubaccountInput = {};
  if (form.name !== account.name) change.name = form.name;
  if (form.nfr !== account.nfr) change.nfr = form.nfr;
  if (form.edition && form.edition !== account.edition) change.edition = form.edition;
  if (!sameTags(tags, account.tags)) change.tags = tags;
  return change;
}

/**
 * Add Account and Edit Account (R-TEN-1, R-TEN-3, R-TEN-4, R-TAG-3, R-SUB-4): name, edition, NFR
 * and access tags, with "Add Access Tag" for a new tag and, when editing, Preview (who gains or
 * loses access) and Delete. Each field the engine does not allow is disabled with its "Why?";
 * the server decides again on save and any refusal shows with its rule.
 */
export function SubaccountDialog({
  account,
  opened,
  onClose,
  onDeleted,
}: {
  /** The account being edited; undefined for Add Account. */
  account: Subaccount | undefined;
  opened: boolean;
  onClose: () => void;
  /** After Delete: where the page goes (the account's own page has nothing left to show). */
  onDeleted?: () => void;
}) {
  const refresh = useRefreshSubaccounts();
  const tagList = useTags();
  const formRef = useRef<HTMLFormElement>(null);
  const [addingTag, addTag] = useDisclosure(false);
  const [deleting, del] = useDisclosure(false);
  const [name, setName] = useState(account?.name ?? "");
  const [edition, setEdition] = useState<Edition | null>(account?.edition ?? null);
  const [nfr, setNfr] = useState(account?.nfr ?? false);
  const [tags, setTags] = useState<string[]>(account?.tags ?? []);
  const tagsAllowed = useDecision({ action: "tags:manage" }).data?.allow === true;
  const editionAllowed = useDecision({ action: "edition:change" }, account !== undefined);
  const renameAllowed = useDecision({ action: "subaccounts:rename" }, account !== undefined);
  const mayEdition = account === undefined || editionAllowed.data?.allow === true;
  const mayRename = account === undefined || renameAllowed.data?.allow === true;

  const change = changesOf(account, { name: name.trim(), edition, nfr, tags });
  const unchanged = Object.keys(change).length === 0;
  const preview: ModelChange | undefined =
    account && (change.tags !== undefined || change.edition !== undefined)
      ? {
          kind: "subaccount",
          accountId: account.id,
          ...(change.tags ? { tags: change.tags } : {}),
          ...(change.edition ? { edition: change.edition } : {}),
        }
      : undefined;

  const save = useMutation({
    mutationFn: () =>
      account
        ? api.patch<Subaccount>(`/accounts/${account.id}`, change)
        : api.post<Subaccount>("/accounts", change),
    meta: { inline: true },
    onSuccess: async (saved) => {
      notifyDone(account ? `${saved.name} was saved` : `${saved.name} was added`);
      onClose();
      await refresh();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!unchanged && name.trim() !== "") save.mutate();
  };
  // Escape or the close button reach every open dialog; only the one in front closes.
  const requestClose = () => {
    const mine = formRef.current?.closest('[role="dialog"]');
    const focused = document.activeElement?.closest('[role="dialog"]');
    if (mine && focused && focused !== mine) return;
    onClose();
  };

  return (
    <>
      <Modal
        opened={opened}
        onClose={requestClose}
        closeOnClickOutside={false}
        title={account ? `Edit ${account.name}` : "Add Account"}
        size="lg"
      >
        <form ref={formRef} onSubmit={submit} noValidate>
          <Stack gap="sm">
            <RefusalBanner error={formError(save.error, FIELDS)} />
            <TextInput
              label="Name"
              required
              maxLength={100}
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              error={fieldError(save.error, "name")}
              disabled={!mayRename}
              data-autofocus
            />
            <Group gap="xs" align="flex-end" wrap="nowrap">
              <Select
                label="Edition"
                placeholder="The parent account's edition"
                description={account ? undefined : "Left empty: the parent account's edition."}
                data={EDITIONS.map((value) => ({ value, label: value }))}
                value={edition}
                onChange={(value) => setEdition(value as Edition | null)}
                allowDeselect={account === undefined}
                clearable={account === undefined}
                error={fieldError(save.error, "edition")}
                disabled={!mayEdition}
                comboboxProps={{ withinPortal: true }}
                style={{ flex: 1 }}
              />
              {mayEdition ? null : <WhyLink query={{ action: "edition:change" }} />}
            </Group>
            <Switch
              label="NFR (not for resale)"
              description="An account for the partner's own use, not billed to a customer."
              checked={nfr}
              onChange={(event) => setNfr(event.currentTarget.checked)}
              error={fieldError(save.error, "nfr")}
              disabled={!mayRename}
            />
            <TagPicker
              value={tags}
              onChange={setTags}
              existing={tagList.data?.map((use) => use.tag)}
              allowed={tagsAllowed}
              onAddTag={addTag.open}
            />
            <Group justify="space-between" mt="sm">
              {account ? (
                <ActionButton
                  query={{ action: "subaccounts:delete" }}
                  color="red"
                  variant="light"
                  onClick={del.open}
                >
                  Delete
                </ActionButton>
              ) : (
                <span />
              )}
              <Group gap="sm">
                <Button variant="default" onClick={onClose}>
                  Cancel
                </Button>
                {/* A new account has no one to gain or lose access yet: no preview to offer. */}
                {account ? <PreviewButton change={preview} /> : null}
                <Button
                  type="submit"
                  loading={save.isPending}
                  disabled={unchanged || name.trim() === ""}
                >
                  {account ? "Save" : "Add Account"}
                </Button>
              </Group>
            </Group>
          </Stack>
        </form>
      </Modal>
      <AddAccessTagDialog
        opened={addingTag}
        selected={tags}
        onAdd={(tag) => setTags((current) => [...current, tag])}
        onClose={addTag.close}
      />
      {account ? (
        <DeleteSubaccountDialog
          account={account}
          opened={deleting}
          onClose={del.close}
          onDeleted={() => {
            del.close();
            onClose();
            onDeleted?.();
          }}
        />
      ) : null}
    </>
  );
}
