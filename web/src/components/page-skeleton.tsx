import { Skeleton, Stack } from "@mantine/core";

/** What a page shows while its code or first data loads: the shape of a title and content, so nothing jumps. */
export function PageSkeleton() {
  return (
    <Stack gap="md" aria-busy="true" aria-label="Loading">
      <Skeleton height={34} width="40%" radius="sm" />
      <Skeleton height={120} radius="md" />
      <Skeleton height={240} radius="md" />
    </Stack>
  );
}
