import { Center, Loader } from "@mantine/core";
import { lazy, Suspense } from "react";
import { Redirect, Route, Switch, useLocation } from "wouter";
import { useSession } from "./api/session.js";
import { PageSkeleton } from "./components/page-skeleton.js";
import { RefusalBanner } from "./components/refusal.js";
import { Shell } from "./components/shell.js";
import { PAGES } from "./routes.js";

const SignInPage = lazy(() => import("./pages/sign-in.js"));
const ActivatePage = lazy(() => import("./pages/activate.js"));
const NotFoundPage = lazy(() => import("./pages/not-found.js"));

function FullScreenLoader() {
  return (
    <Center h="100vh" aria-busy="true" aria-label="Loading">
      <Loader />
    </Center>
  );
}

/** Every page but sign-in and activation: needs a session, and sits in the shell. */
function SignedIn() {
  const session = useSession();
  const [location] = useLocation();
  if (session.isPending) return <FullScreenLoader />;
  if (session.isError)
    return (
      <Center h="100vh" p="md">
        <RefusalBanner error={session.error} title="The panel could not load your session" />
      </Center>
    );
  if (!session.data) {
    const next = location === "/" ? "" : `?next=${encodeURIComponent(location)}`;
    return <Redirect to={`/sign-in${next}`} replace />;
  }
  return (
    <Shell session={session.data}>
      <Switch>
        {PAGES.map((page) => (
          <Route key={page.path} path={page.path} component={page.page} />
        ))}
        <Route component={NotFoundPage} />
      </Switch>
    </Shell>
  );
}

export function App() {
  return (
    <Suspense fallback={<PageSkeleton />}>
      <Switch>
        <Route path="/sign-in" component={SignInPage} />
        <Route path="/activate/:token" component={ActivatePage} />
        <Route component={SignedIn} />
      </Switch>
    </Suspense>
  );
}
