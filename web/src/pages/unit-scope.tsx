import { Group, MultiSelect, Radio, Stack, Text } from "@mantine/core";
import { useMemo } from "react";
import { Explained } from "../components/rule-link.js";
import type { Named } from "./unit-api.js";

const WORDS = {
  groups: {
    legend: "Assign groups",
    all: "All users (every group, now and as they are added)",
    specific: "Specific groups",
    picker: "Groups in this unit",
    placeholder: "Search groups by name",
  },
  applications: {
    legend: "Assign applications",
    all: "All applications (now and as they are added)",
    specific: "Specific applications",
    picker: "Applications in this unit",
    placeholder: "Search applications by name",
  },
} as const;

/** Options shown at a time: the search narrows a long list, the picker never renders thousands. */
const OPTION_LIMIT = 100;

interface ScopeFieldProps {
  kind: keyof typeof WORDS;
  all: boolean;
  onAllChange: (all: boolean) => void;
  ids: readonly string[];
  onIdsChange: (ids: string[]) => void;
  /** Every group (application) of the account; undefined while it loads. */
  options: readonly Named[] | undefined;
  /** Options that may not be picked, with why (R-UNIT-3: an application already in another unit). */
  unavailable?: ReadonlyMap<string, string>;
  error?: string | undefined;
}

/**
 * R-UNIT-2: a unit's scope, "all" or a chosen set, picked by name with search. A chosen set may be
 * empty: the unit then manages none of them (R-UNIT-8i), which the field says.
 */
export function ScopeField(props: ScopeFieldProps) {
  const { kind, all, ids, options, unavailable } = props;
  const words = WORDS[kind];
  const data = useMemo(
    () =>
      (options ?? []).map((option) => ({
        value: option.id,
        label: option.name,
        // One already picked stays removable even if it is now taken elsewhere.
        disabled: unavailable?.has(option.id) === true && !ids.includes(option.id),
      })),
    [options, unavailable, ids],
  );
  return (
    <Stack gap="xs">
      <Radio.Group
        label={words.legend}
        description="Administrators in this unit manage"
        value={all ? "all" : "specific"}
        onChange={(value) => props.onAllChange(value === "all")}
      >
        <Group gap="lg" mt={6}>
          <Radio value="all" label={words.all} />
          <Radio value="specific" label={words.specific} />
        </Group>
      </Radio.Group>
      {all ? null : (
        <>
          <MultiSelect
            label={words.picker}
            placeholder={options ? words.placeholder : "Loading…"}
            data={data}
            value={[...ids]}
            onChange={props.onIdsChange}
            searchable
            clearable
            limit={OPTION_LIMIT}
            nothingFoundMessage="Nothing matches"
            disabled={options === undefined}
            error={props.error}
            comboboxProps={{ withinPortal: true }}
            renderOption={({ option }) => {
              const why = unavailable?.get(option.value);
              return (
                <div>
                  <Text size="sm">{option.label}</Text>
                  {why ? (
                    <Text size="xs" c="dimmed">
                      {why}
                    </Text>
                  ) : null}
                </div>
              );
            }}
          />
          {ids.length === 0 ? (
            <Text size="sm" c="dimmed">
              <Explained rules={["R-UNIT-8i"]}>
                No {kind} picked: administrators of this unit will manage no {kind} through it.
              </Explained>
            </Text>
          ) : null}
        </>
      )}
    </Stack>
  );
}
