import { Badge } from "@mantine/core";
import type { Admin } from "./administrators-api.js";

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
