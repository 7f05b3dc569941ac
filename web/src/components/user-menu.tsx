import { Button, Menu } from "@mantine/core";
import { IconChevronDown, IconLogout, IconUser } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link, useLocation } from "wouter";
import { api, setCsrfToken } from "../api/client.js";
import { SESSION_KEY } from "../api/session.js";
import type { Session } from "../api/types.js";
import { hasPage, PROFILE_PATH } from "../routes.js";

/** The signed-in admin's menu: Edit Profile (R-ROLE-7, once its page exists) and Sign out. */
export function UserMenu({ session }: { session: Session }) {
  const client = useQueryClient();
  const [, navigate] = useLocation();
  const signOut = useMutation({
    mutationFn: () => api.post<{ ok: true }>("/auth/sign-out"),
    onSuccess: () => {
      setCsrfToken(undefined);
      client.clear();
      client.setQueryData(SESSION_KEY, null);
      navigate("/sign-in");
    },
  });
  return (
    <Menu position="bottom-end" width={220} withinPortal>
      <Menu.Target>
        <Button
          variant="subtle"
          color="dark"
          rightSection={<IconChevronDown size={16} aria-hidden />}
        >
          {session.admin.name || session.admin.email}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{session.admin.email}</Menu.Label>
        {hasPage(PROFILE_PATH) ? (
          <Menu.Item
            component={Link}
            href={PROFILE_PATH}
            leftSection={<IconUser size={16} aria-hidden />}
          >
            Edit Profile
          </Menu.Item>
        ) : null}
        <Menu.Item
          leftSection={<IconLogout size={16} aria-hidden />}
          onClick={() => signOut.mutate()}
          disabled={signOut.isPending}
        >
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
