import { Badge, type BadgeProps, Group, Text } from "@mantine/core";

/**
 * Access tags as badges, exactly as spelt (case-sensitive, R-TAG-1), or "None". Admins' and
 * subaccounts' tags are the same tags (R-TAG-2); each page keeps its own badge look.
 */
export function TagBadges({
  tags,
  variant = "outline",
  color,
}: {
  tags: readonly string[];
  variant?: BadgeProps["variant"];
  color?: BadgeProps["color"];
}) {
  if (tags.length === 0)
    return (
      <Text size="sm" c="dimmed">
        None
      </Text>
    );
  return (
    <Group gap={4}>
      {tags.map((tag) => (
        <Badge key={tag} variant={variant} color={color} tt="none">
          {tag}
        </Badge>
      ))}
    </Group>
  );
}
