import {
  Anchor,
  AppShell,
  Burger,
  Group,
  NavLink,
  Skeleton,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { type ReactNode, Suspense } from "react";
import { Link, useLocation } from "wouter";
import { useDecisions } from "../api/decisions.js";
import type { Session } from "../api/types.js";
import { PAGES } from "../routes.js";
import { AccountSwitcher } from "./account-switcher.js";
import { PageErrorBoundary } from "./page-error-boundary.js";
import { PageSkeleton } from "./page-skeleton.js";
import { UserMenu } from "./user-menu.js";

const NAV = PAGES.filter((page) => page.nav);
const NAV_QUERIES = NAV.map((page) => ({ action: page.action }));

/** The left navigation: only the pages the engine lets the admin use here (one skeleton row each while it decides). */
function Navigation({ onNavigate }: { onNavigate: () => void }) {
  const [location] = useLocation();
  const { allowed } = useDecisions(NAV_QUERIES);
  return (
    <Stack gap={4} component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
      {NAV.map((page) =>
        allowed === undefined ? (
          <li key={page.path}>
            <Skeleton height={36} radius="sm" />
          </li>
        ) : allowed.get(page.action) ? (
          <li key={page.path}>
            <NavLink
              component={Link}
              href={page.path}
              label={page.label}
              leftSection={<page.icon size={18} aria-hidden />}
              active={location === page.path}
              aria-current={location === page.path ? "page" : undefined}
              onClick={onNavigate}
            />
          </li>
        ) : null,
      )}
    </Stack>
  );
}

/** The signed-in layout: header (name, account switcher, user menu), navigation, and the page. */
export function Shell({ session, children }: { session: Session; children: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure(false);
  const [location] = useLocation();
  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 250, breakpoint: "sm", collapsed: { mobile: !opened } }}
      padding="lg"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? "Close navigation" : "Open navigation"}
            />
            <Title order={1} size="h4">
              Gatehouse
            </Title>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <AccountSwitcher />
            <UserMenu session={session} />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Main">
        <Navigation onNavigate={close} />
        <Stack gap={4} mt="auto" pt="md">
          <Anchor component={Link} href="/rules" size="xs" onClick={close}>
            Rules: what is allowed, and why
          </Anchor>
          <Text size="xs" c="dimmed">
            Signed in as {session.admin.email} ({session.admin.role})
          </Text>
        </Stack>
      </AppShell.Navbar>
      <AppShell.Main>
        <PageErrorBoundary key={location}>
          <Suspense fallback={<PageSkeleton />}>{children}</Suspense>
        </PageErrorBoundary>
      </AppShell.Main>
    </AppShell>
  );
}
