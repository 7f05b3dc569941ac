import { Alert, Button, Group, Image, Modal, Stack, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../api/client.js";
import { ActionButton } from "../components/action-button.js";
import { CopyField } from "../components/copy-field.js";
import { DialogActions } from "../components/dialog-actions.js";
import { RefusalBanner } from "../components/refusal.js";
import { Explained } from "../components/rule-link.js";
import { type Phone, phoneLabel, phonesKey } from "./device-api.js";
import type { User } from "./user-api.js";

/** POST /api/phones/:id/activation: the link is shown this once (R-AUTH-5). */
interface PhoneActivation {
  user_id: string;
  username: string;
  activation_url: string;
  activation_barcode: string;
  expires_at: string;
}

/**
 * The QR code is served by this same server under /enroll/ (the page the link opens shows it too):
 * asked for by its path, so the panel's own address serves it whatever the public address is.
 */
function sameOriginPath(url: string): string {
  return new URL(url).pathname;
}

/**
 * "Set up authenticator app" on one of a user's phones: makes a single-use activation link
 * (replacing any earlier one not yet used) and shows it with a copy button and its QR code. Help
 * Desk may (R-ROLE-3); a restricted admin for their units' users (R-UNIT-8f).
 */
export function SetUpAuthenticatorApp({ user, phone }: { user: User; phone: Phone }) {
  const client = useQueryClient();
  const [opened, { open, close }] = useDisclosure(false);
  const label = phoneLabel(phone);
  const create = useMutation({
    mutationFn: () =>
      api.post<PhoneActivation>(`/phones/${phone.id}/activation`, { user_id: user.id }),
    meta: { inline: true },
  });
  const finish = () => {
    close();
    create.reset();
    // The person may have finished meanwhile: the row says whether the app is set up.
    void client.invalidateQueries({ queryKey: phonesKey(user.id) });
  };
  const link = create.data;
  return (
    <>
      <ActionButton
        size="xs"
        variant="default"
        query={{ action: "phones:send_activation", object: { kind: "user", id: user.id } }}
        onClick={open}
        aria-label={`Set up authenticator app on ${label}`}
      >
        Set up authenticator app
      </ActionButton>
      <Modal opened={opened} onClose={finish} title={`Set up an authenticator app on ${label}`}>
        {link ? (
          <Stack gap="sm">
            <Text size="sm">
              Give this link to {link.username}. On their phone they open it, scan the QR code it
              shows with an authenticator app, and type the code the app then shows. It works once,
              until {new Date(link.expires_at).toLocaleString()}.
            </Text>
            <CopyField
              label="Activation link"
              value={link.activation_url}
              testId="activation-url"
            />
            <Text size="sm">
              If {link.username} is beside you, they can scan this code instead, then finish at the
              link.
            </Text>
            <Image
              src={sameOriginPath(link.activation_barcode)}
              alt={`QR code that sets up an authenticator app for ${link.username}`}
              w={200}
              h={200}
              fit="contain"
              mx="auto"
            />
            <Group justify="flex-end">
              <Button onClick={finish}>Done</Button>
            </Group>
          </Stack>
        ) : (
          <Stack gap="sm">
            <RefusalBanner error={create.error} />
            <Text size="sm">
              <Explained rules={["R-AUTH-5"]}>
                Gatehouse makes a link that puts an authenticator app on this phone for{" "}
                {user.username}. It works once, for a day; a link made before and not used yet stops
                working.
              </Explained>
            </Text>
            {phone.activated ? (
              <Alert color="yellow" variant="light">
                An authenticator app is already set up on this phone. Once the new link is used, the
                old app's codes stop working.
              </Alert>
            ) : null}
            <DialogActions
              onCancel={finish}
              label="Create activation link"
              loading={create.isPending}
              onConfirm={() => create.mutate()}
            />
          </Stack>
        )}
      </Modal>
    </>
  );
}
