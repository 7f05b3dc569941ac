import { MultiSelect } from "@mantine/core";
import type { ReactNode } from "react";
import { IN_DIALOG_COMBOBOX, IN_DIALOG_DROPDOWN_HEIGHT } from "../components/in-dialog.js";
import { Explained } from "../components/rule-link.js";
import { useTags } from "./subaccount-data.js";

/** Code-point order, as the server sorts tags: "EU" before "eu", both shown (R-TAG-1). */
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * An admin's access tags, picked from the tags that exist (R-TAG-3: GET /api/tags, plus the ones
 * the admin has). Tags are case-sensitive (R-TAG-1), so "Gov" and "gov" are two options and both
 * can be picked. Nothing can be typed into being: a new tag is made with Add Access Tag on an
 * account's Add or Edit page.
 */
export function AccessTagsInput({
  value,
  onChange,
  inDialog = false,
}: {
  value: string[];
  onChange: (tags: string[]) => void;
  inDialog?: boolean;
}) {
  const tags = useTags();
  const options = [...new Set([...(tags.data ?? []).map((use) => use.tag), ...value])].sort(
    byCodePoint,
  );
  const description: ReactNode = (
    <Explained rules={["R-TAG-1", "R-TAG-2", "R-TAG-3"]}>
      They can open the subaccounts that share one of these tags, or that have none. Capitals count:
      “Gov” and “gov” are two tags. New tags are made with Add Access Tag when adding or editing an
      account.
    </Explained>
  );
  return (
    <MultiSelect
      label="Access tags"
      description={description}
      placeholder={value.length === 0 ? "Choose tags" : undefined}
      data={options}
      value={value}
      onChange={onChange}
      searchable
      clearable
      clearButtonProps={{ "aria-label": "Remove every access tag" }}
      disabled={tags.isPending}
      error={tags.isError ? "The access tags could not be loaded" : undefined}
      nothingFoundMessage="No access tag by that name. Make new tags with Add Access Tag on an account's page."
      maxDropdownHeight={inDialog ? IN_DIALOG_DROPDOWN_HEIGHT : 240}
      comboboxProps={inDialog ? IN_DIALOG_COMBOBOX : { withinPortal: true }}
    />
  );
}
