import { Badge } from "@mantine/core";
import { STATUS_COLORS, STATUS_LABELS, type UserStatus } from "./user-api.js";

/** A user's status as a badge: Active, Bypass, Disabled, Locked Out or Pending Deletion. */
export function StatusBadge({ status }: { status: UserStatus }) {
  return (
    <Badge color={STATUS_COLORS[status]} variant="light" data-testid="user-status">
      {STATUS_LABELS[status]}
    </Badge>
  );
}
