import { Group, Modal, Paper, Stack, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../api/client.js";
import { ActionButton } from "../components/action-button.js";
import { DialogActions } from "../components/dialog-actions.js";
import { notifyDone, RefusalBanner } from "../components/refusal.js";
import type { User } from "./user-api.js";

const rememberedKey = (userId: string) => ["users", "one", userId, "remembered-browsers"] as const;

function browsers(count: number): string {
  return count === 1 ? "1 browser" : `${count} browsers`;
}

/**
 * The browsers where the user chose "Remember me" in the hosted prompt: they log in without a
 * second step until it expires. Forgetting them (a lost laptop) is a change to the user's 2FA
 * devices, so the engine offers it to those who manage devices (R-ROLE-2, R-UNIT-8f).
 */
export function UserRememberedBrowsers({ user }: { user: User }) {
  const client = useQueryClient();
  const [opened, { open, close }] = useDisclosure(false);
  const remembered = useQuery({
    queryKey: rememberedKey(user.id),
    queryFn: () => api.get<{ remembered: number }>(`/users/${user.id}/remembered-browsers`),
  });
  const forget = useMutation({
    mutationFn: () => api.delete<{ forgotten: number }>(`/users/${user.id}/remembered-browsers`),
    meta: { inline: true },
    onSuccess: (result) => {
      void client.invalidateQueries({ queryKey: rememberedKey(user.id) });
      close();
      notifyDone(`${browsers(result.forgotten)} forgotten for ${user.username}`);
    },
  });
  const count = remembered.data?.remembered ?? 0;
  return (
    <Paper withBorder p="md">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={3}>Remembered browsers</Title>
          <ActionButton
            size="xs"
            variant="default"
            color="red"
            query={{ action: "phones:delete", object: { kind: "user", id: user.id } }}
            disabled={count === 0}
            onClick={open}
          >
            Forget all
          </ActionButton>
        </Group>
        <Text size="sm">
          {remembered.isPending
            ? "Loading…"
            : count === 0
              ? `${user.username} has no remembered browser: every login asks for a second step.`
              : `${user.username} logs in without a second step on ${browsers(count)} where they chose “Remember me”.`}
        </Text>
      </Stack>
      <Modal
        opened={opened}
        onClose={close}
        title={`Forget ${user.username}'s remembered browsers?`}
      >
        <Stack gap="sm">
          <RefusalBanner error={forget.error} />
          <Text size="sm">
            The next time {user.username} logs in on any of them, they will be asked for a second
            step again.
          </Text>
          <DialogActions
            onCancel={close}
            label="Forget all"
            loading={forget.isPending}
            onConfirm={() => forget.mutate()}
          />
        </Stack>
      </Modal>
    </Paper>
  );
}
