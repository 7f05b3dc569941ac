import { Anchor, Badge } from "@mantine/core";
import { Link } from "wouter";
import type { DataColumn } from "../components/data-table.js";
import { STATUS_COLORS, STATUS_LABELS, type User, type UserStatus } from "./user-api.js";

/** A user's status as a badge: Active, Bypass, Disabled, Locked Out or Pending Deletion. */
export function StatusBadge({ status }: { status: UserStatus }) {
  return (
    <Badge color={STATUS_COLORS[status]} variant="light" data-testid="user-status">
      {STATUS_LABELS[status]}
    </Badge>
  );
}

/** The first column of every list of users: the username, a link to the user's page. */
export const USERNAME_COLUMN: DataColumn<User> = {
  id: "username",
  header: "Username",
  cell: (user) => (
    <Anchor component={Link} href={`/users/${user.id}`}>
      {user.username}
    </Anchor>
  ),
  sortValue: (user) => user.username.toLowerCase(),
};
