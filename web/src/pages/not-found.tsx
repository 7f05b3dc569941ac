import { Button, Stack, Text, Title } from "@mantine/core";
import { Link, useLocation } from "wouter";

/** An address the panel has no page for. */
export default function NotFoundPage() {
  const [location] = useLocation();
  return (
    <Stack gap="md" align="flex-start">
      <Title order={2}>Page not found</Title>
      <Text>The panel has no page at {location}.</Text>
      <Button component={Link} href="/">
        Go to the Dashboard
      </Button>
    </Stack>
  );
}
