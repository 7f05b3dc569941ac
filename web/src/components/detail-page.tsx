import { Anchor, Breadcrumbs, Group, type MantineSpacing, Stack, Text } from "@mantine/core";
import { IconArrowLeft } from "@tabler/icons-react";
import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link } from "wouter";
import { PageSkeleton } from "./page-skeleton.js";
import { RefusalBanner } from "./refusal.js";

/** "Users › alice" above a detail page: the list it belongs to, then the object's name. */
export function Crumbs({ href, list, current }: { href: string; list: string; current: string }) {
  return (
    <Breadcrumbs>
      <Anchor component={Link} href={href}>
        {list}
      </Anchor>
      <Text>{current}</Text>
    </Breadcrumbs>
  );
}

/** "← Administrators" above a detail page. */
export function BackLink({ href, label }: { href: string; label: string }) {
  return (
    <Anchor component={Link} href={href} size="sm">
      <Group gap={4} component="span">
        <IconArrowLeft size={14} aria-hidden />
        {label}
      </Group>
    </Anchor>
  );
}

interface DetailPageProps<T> {
  /** The object's own query (GET /api/<list>/:id). */
  query: UseQueryResult<T>;
  /** The way back to the list, shown also when the object cannot be (Crumbs or BackLink). */
  back: ReactNode;
  /** The refusal's title, or what to show in its place for a refusal the page explains itself. */
  unavailable: string | ((error: unknown) => ReactNode);
  gap?: MantineSpacing;
  children: (data: T) => ReactNode;
}

/**
 * One object's page: a skeleton while it loads; once loaded, the way back and the page. An object
 * the server will not show (not found, or outside the admin's units: R-UNIT-8) gives its refusal,
 * in place of the page, so the admin reads why.
 */
export function DetailPage<T>({
  query,
  back,
  unavailable,
  gap = "lg",
  children,
}: DetailPageProps<T>) {
  if (query.isPending) return <PageSkeleton />;
  return (
    <Stack gap={gap}>
      {back}
      {!query.isError ? (
        children(query.data)
      ) : typeof unavailable === "string" ? (
        <RefusalBanner error={query.error} title={unavailable} />
      ) : (
        unavailable(query.error)
      )}
    </Stack>
  );
}
