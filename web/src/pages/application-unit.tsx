import { Select } from "@mantine/core";
import { Explained } from "../components/rule-link.js";
import { useUnitChoices } from "./application-api.js";

/**
 * Which administrative unit a new application joins. Shown only when the admin may choose one: a
 * restricted admin's application goes in one of their own units, the first unless they pick another
 * (R-UNIT-6); an Owner may put it in a unit that manages chosen applications (R-UNIT-1, R-UNIT-3).
 */
export function UnitSelect({
  value,
  onChange,
  error,
}: {
  value: string | null;
  onChange: (unitId: string | null) => void;
  error: string | undefined;
}) {
  const choices = useUnitChoices();
  const data = choices.data;
  if (!data || data.units.length === 0) return null;
  const shown = value ?? (data.required ? (data.units[0]?.id ?? null) : null);
  return (
    <Select
      label="Administrative unit"
      description={
        data.required ? (
          <Explained rules={["R-UNIT-6"]}>
            It joins one of your units, so that you can go on managing it.
          </Explained>
        ) : (
          <Explained rules={["R-UNIT-3"]}>
            Optional. The unit's administrators will manage it; an application is in one unit at
            most.
          </Explained>
        )
      }
      placeholder="No unit"
      data={data.units.map((unit) => ({ value: unit.id, label: unit.name }))}
      value={shown}
      onChange={onChange}
      clearable={!data.required}
      allowDeselect={!data.required}
      comboboxProps={{ withinPortal: true }}
      error={error}
    />
  );
}
