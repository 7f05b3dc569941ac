import { Alert, Badge, Text } from "@mantine/core";
import { IconInfoCircle } from "@tabler/icons-react";
import { Explained } from "../components/rule-link.js";
import { type Admin, useIsFree } from "./administrators-api.js";

const STATUS_COLORS: Record<Admin["status"], string> = {
  Active: "teal",
  Disabled: "gray",
  Expired: "orange",
  "Pending Activation": "blue",
};

export function StatusBadge({ status }: { status: Admin["status"] }) {
  return (
    <Badge color={STATUS_COLORS[status]} variant="light">
      {status}
    </Badge>
  );
}

/**
 * R-PLAN-1, R-PLAN-2: while the account is Free every admin acts as an Owner, whatever role is
 * saved; the saved roles, subaccount roles, tags and units shown apply again after an upgrade.
 */
export function FreeEditionNotice() {
  if (!useIsFree()) return null;
  return (
    <Alert
      color="blue"
      variant="light"
      title="Free edition: every administrator acts as an Owner"
      icon={<IconInfoCircle aria-hidden />}
      data-testid="free-edition"
    >
      <Text size="sm">
        <Explained rules={["R-PLAN-1", "R-PLAN-2"]}>
          Roles cannot be assigned in the Free edition. The roles, subaccount roles, access tags and
          units shown are kept, and apply again when the account moves to a paid edition.
        </Explained>
      </Text>
    </Alert>
  );
}
