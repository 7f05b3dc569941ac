import { Alert, Button, Group, List, Modal, Stack, Text } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../api/client.js";
import { PreviewButton } from "../components/change-preview.js";
import { notifyDone, RefusalBanner } from "../components/refusal.js";
import { Explained, RuleLinks } from "../components/rule-link.js";
import { ADMINS_KEY, type AdminSummary, plural, type Unit, unitKeys } from "./unit-api.js";

interface UnitDeleteProps {
  unit: Unit | undefined;
  /** Every admin of the account; undefined while they load. */
  admins: readonly AdminSummary[] | undefined;
  onClose: () => void;
  onDeleted?: () => void;
}

/**
 * Delete with confirmation. R-UNIT-5: the unit's admins lose what only it gave; one whose only unit
 * this is stays restricted with nothing to manage, which the dialog names before anything is done.
 */
export function UnitDeleteDialog({ unit, admins, onClose, onDeleted }: UnitDeleteProps) {
  const client = useQueryClient();
  const remove = useMutation({
    mutationFn: (id: string) => api.delete<{ ok: true }>(`/units/${encodeURIComponent(id)}`),
    meta: { inline: true },
    onSuccess: async () => {
      notifyDone(`Unit "${unit?.name ?? ""}" deleted`);
      await Promise.all([
        client.invalidateQueries({ queryKey: unitKeys.all }),
        client.invalidateQueries({ queryKey: ADMINS_KEY }),
      ]);
      onClose();
      onDeleted?.();
    },
  });
  const members = unit ? (admins ?? []).filter((admin) => unit.admin_ids.includes(admin.id)) : [];
  const stranded = members.filter((admin) => admin.unit_ids.length <= 1);
  return (
    <Modal
      opened={unit !== undefined}
      onClose={() => {
        remove.reset();
        onClose();
      }}
      title={unit ? `Delete "${unit.name}"?` : "Delete unit"}
    >
      {unit ? (
        <Stack gap="sm">
          <RefusalBanner error={remove.error} />
          <Text size="sm">
            {members.length === 0 ? (
              "No administrator is in this unit."
            ) : (
              <Explained rules={["R-UNIT-5"]}>
                Its {plural(members.length, "administrator")} lose the groups and applications it
                gave them, unless another of their units gives them too.
              </Explained>
            )}
          </Text>
          {stranded.length > 0 ? (
            <Alert
              color="orange"
              variant="light"
              title="Left in no unit"
              icon={<IconAlertTriangle aria-hidden />}
              data-testid="stranded-admins"
            >
              <Text size="sm">
                This is the only unit of the administrators below. They stay restricted with nothing
                to manage and can open only their own profile, until an Owner assigns them a unit or
                allows them access to all groups and applications. <RuleLinks ids={["R-UNIT-5"]} />
              </Text>
              <List size="sm" mt={4}>
                {stranded.map((admin) => (
                  <List.Item key={admin.id}>
                    {admin.name} ({admin.email})
                  </List.Item>
                ))}
              </List>
            </Alert>
          ) : null}
          <Group justify="flex-end">
            <PreviewButton change={{ kind: "unit", unitId: unit.id, delete: true }} />
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button color="red" loading={remove.isPending} onClick={() => remove.mutate(unit.id)}>
              Delete unit
            </Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}
