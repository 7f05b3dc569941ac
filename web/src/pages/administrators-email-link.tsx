import { Stack, Switch, Text } from "@mantine/core";
import { Explained } from "../components/rule-link.js";
import type { ActivationLink } from "./administrators-api.js";
import { useMailDelivery } from "./mail-delivery.js";

/**
 * R-ADM-2: whether a new activation link is emailed to the administrator. On by default where the
 * server sends email (`choice` undefined: the admin has not touched the switch); never elsewhere.
 */
export function useEmailLink(choice: boolean | undefined): boolean {
  const configured = useMailDelivery() === true;
  return configured && (choice ?? true);
}

/** "Send the link by email": offered only where the server sends email. */
export function EmailLinkSwitch({
  checked,
  onChange,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  if (useMailDelivery() !== true) return null;
  return (
    <Switch
      label="Send the link by email"
      description="Sent to their email address. Off: copy the link and send it yourself."
      checked={checked}
      onChange={(event) => onChange(event.currentTarget.checked)}
    />
  );
}

/** An activation link that went by email: where, and until when it works; the link is not shown. */
export function ActivationEmailed({ to, link }: { to: string; link: ActivationLink }) {
  return (
    <Stack gap={4} data-testid="activation-emailed">
      <Text size="sm">
        <Explained rules={["R-ADM-2"]}>
          The activation link was emailed to {to}. It works once, until{" "}
          {new Date(link.expires_at).toLocaleString()}.
        </Explained>
      </Text>
      <Text size="sm" c="dimmed">
        If it does not arrive, make a new link: the one emailed then stops working.
      </Text>
    </Stack>
  );
}
