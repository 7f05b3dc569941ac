import { Anchor, Center, Container, Group, Loader, Title } from "@mantine/core";
import { lazy, Suspense } from "react";
import { Link, Redirect, Route, Switch, useLocation } from "wouter";
import { useSession } from "./api/session.js";
import { PageSkeleton } from "./components/page-skeleton.js";
import { RefusalBanner } from "./components/refusal.js";
import { Shell } from "./components/shell.js";
import { PAGES } from "./routes.js";

const SignInPage = lazy(() => import("./pages/sign-in.js"));
const ActivatePage = lazy(() => import("./pages/activate.js"));
const NotFoundPage = lazy(() => import("./pages/not-found.js"));
const RulesPage = lazy(() => import("./pages/rules.js"));

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

/** The Rules page, open to all: in the shell when signed in, on its own otherwise. */
function Rules() {
  const session = useSession();
  if (session.isPending) return <FullScreenLoader />;
  if (session.data)
    return (
      <Shell session={session.data}>
        <RulesPage signedIn />
      </Shell>
    );
  return (
    <Container size="md" py="lg">
      <Group justify="space-between" mb="lg">
        <Title order={1} size="h4">
          Gatehouse
        </Title>
        <Anchor component={Link} href="/sign-in" size="sm">
          Sign in
        </Anchor>
      </Group>
      <main>
        <Suspense fallback={<PageSkeleton />}>
          <RulesPage signedIn={false} />
        </Suspense>
      </main>
    </Container>
  );
}

export function App() {
  return (
    <Suspense fallback={<PageSkeleton />}>
      <Switch>
        <Route path="/sign-in" component={SignInPage} />
        <Route path="/activate/:token" component={ActivatePage} />
        <Route path="/rules" component={Rules} />
        <Route component={SignedIn} />
      </Switch>
    </Suspense>
  );
}
