import { Badge, Group } from "@mantine/core";
import type { Edition } from "../api/types.js";

/** An account's plan at a glance, under its name: edition, NFR, and parent or subaccount. */
export function AccountBadges({
  edition,
  nfr,
  isSubaccount,
}: {
  edition: Edition;
  nfr: boolean;
  isSubaccount: boolean;
}) {
  return (
    <Group gap="xs" mt={6}>
      <Badge variant="light" data-testid="edition">
        {edition}
      </Badge>
      {nfr ? (
        <Badge variant="light" color="grape">
          NFR
        </Badge>
      ) : null}
      <Badge variant="outline" color="gray">
        {isSubaccount ? "Subaccount" : "Parent account"}
      </Badge>
    </Group>
  );
}
