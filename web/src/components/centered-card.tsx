import { Center, Paper, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";

/** The frame of the pages outside the shell (sign-in, activation): a titled card in the middle. */
export function CenteredCard({
  title,
  subtitle,
  children,
}: {
  title: string;
  subtitle?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" radius="md" w={440} maw="100%">
        <Stack gap="md">
          <div>
            <Text size="sm" fw={700} c="indigo.8">
              Gatehouse
            </Text>
            <Title order={1} size="h2">
              {title}
            </Title>
            {subtitle ? (
              <Text size="sm" c="dimmed" mt={4}>
                {subtitle}
              </Text>
            ) : null}
          </div>
          {children}
        </Stack>
      </Paper>
    </Center>
  );
}
