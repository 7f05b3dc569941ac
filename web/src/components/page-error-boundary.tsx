import { Alert, Button, Stack, Text } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import { Component, type ErrorInfo, type ReactNode } from "react";

interface State {
  error: Error | undefined;
}

/**
 * A page that fails to load or render says so, instead of leaving a blank screen. The usual cause
 * is a server updated while the tab was open: the page's file from the old build is gone, and a
 * reload fetches the new one. Keyed by location by its caller, so moving on clears it.
 */
export class PageErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: undefined };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error("page failed", error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <Alert
        role="alert"
        color="red"
        variant="light"
        title="This page could not be shown"
        icon={<IconAlertTriangle aria-hidden />}
      >
        <Stack gap="xs" align="flex-start">
          <Text size="sm">
            Gatehouse may have been updated since this tab opened. Reloading fetches the current
            version.
          </Text>
          <Text size="xs" c="dimmed">
            {error.message}
          </Text>
          <Button size="xs" onClick={() => window.location.reload()}>
            Reload
          </Button>
        </Stack>
      </Alert>
    );
  }
}
