import { Badge, Group, Text } from "@mantine/core";

/**
 * Access tags as badges, exactly as spelt (case-sensitive, R-TAG-1), or "None". Admins' and
 * subaccounts' tags are the same tags (R-TAG-2), so they look the same everywhere.
 */
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
        <Badge key={tag} variant="light" color="indigo" tt="none">
          {tag}
        </Badge>
      ))}
    </Group>
  );
}
