import "@mantine/core/styles.css";
import "@mantine/notifications/styles.css";
import { MantineProvider } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { ApiError } from "./api/client.js";
import { SESSION_KEY } from "./api/session.js";
import { App } from "./app.js";
import { notifyRefusal } from "./components/refusal.js";
import { cssVariablesResolver, theme } from "./theme.js";

declare module "@tanstack/react-query" {
  interface Register {
    defaultError: unknown;
    /** `inline`: the form shows its own refusal banner, so no toast. */
    mutationMeta: { inline?: boolean };
  }
}

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({
    onError: (error, query) => {
      // A session that ended (expired, signed out elsewhere): back to sign-in.
      if (error instanceof ApiError && error.status === 401 && query.queryKey[0] !== SESSION_KEY[0])
        void queryClient.invalidateQueries({ queryKey: SESSION_KEY });
    },
  }),
  mutationCache: new MutationCache({
    onError: (error, _variables, _context, mutation) => {
      if (!mutation.meta?.inline) notifyRefusal(error);
      if (error instanceof ApiError && error.status === 401)
        void queryClient.invalidateQueries({ queryKey: SESSION_KEY });
    },
  }),
  defaultOptions: {
    queries: {
      // A refusal (4xx) is an answer, not a glitch: show it rather than ask again.
      retry: (count, error) =>
        !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root");
createRoot(root).render(
  <StrictMode>
    <MantineProvider
      theme={theme}
      cssVariablesResolver={cssVariablesResolver}
      defaultColorScheme="light"
    >
      {/* Narrow, at the top right, above the dialogs' overlay: a toast never lies over a dialog's
          buttons, which sit at its bottom, nor over a dialog of the panel's widths on a laptop. */}
      <Notifications position="top-right" containerWidth={320} zIndex={1000} />
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
