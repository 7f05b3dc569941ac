import { Badge, Group, Text } from "@mantine/core";
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

export function TagBadges({ tags }: { tags: readonly string[] }) {
  if (tags.length === 0)
    return (
      <Text size="sm" c="dimmed">
        None
      </Text>
    );
  return (
    <Group gap={4}>
      {tags.map((tag) => (
        <Badge key={tag} variant="outline" tt="none">
          {tag}
        </Badge>
      ))}
    </Group>
  );
}
