/**
 * The console's shell: learns the server's mode, asks for a key in enforced mode, then shows
 * the header, the navigation and the page the hash names.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { describeError, type ShownError } from './api/errors';
import { setMetricsToken } from './api/metrics';
import { fetchServerInfo, type ServerInfo } from './api/server-info';
import { forgetSignIn, makeSession, storedSignIn, type Session } from './api/session';
import { LoggingPage } from './pages/logging';
import { OverviewPage } from './pages/overview';
import { RoomPage } from './pages/room';
import { RoomsPage } from './pages/rooms';
import { SignInPage } from './pages/sign-in';
import { ErrorBox } from './ui/error-box';
import { href, useRoute } from './ui/router';

export function App() {
  const [info, setInfo] = useState<ServerInfo | undefined>();
  const [failure, setFailure] = useState<ShownError | undefined>();
  const [session, setSession] = useState<Session | undefined>();

  useEffect(() => {
    fetchServerInfo().then(
      (i) => {
        setInfo(i);
        if (i.auth === 'open') setSession(makeSession(i, undefined));
        else {
          const stored = storedSignIn();
          if (stored) setSession(makeSession(i, stored, stored.region));
        }
      },
      (err: unknown) => setFailure(describeError(err)),
    );
  }, []);

  if (failure) {
    return (
      <main class="page narrow">
        <h1>Parlor console</h1>
        <ErrorBox error={failure} title="The console could not reach Parlor" />
      </main>
    );
  }
  if (!info) return <main class="page narrow loading">Loading…</main>;
  if (!session) return <SignInPage info={info} onSignedIn={setSession} />;
  const signOut = (): void => {
    forgetSignIn();
    setMetricsToken(undefined);
    setSession(undefined);
  };
  return <Shell session={session} onSignOut={signOut} />;
}

const NAV = [
  { route: '', label: 'Overview' },
  { route: 'rooms', label: 'Rooms' },
  { route: 'logging', label: 'Logging configurations' },
] as const;

function Shell({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const route = useRoute();
  const section = route[0] ?? '';
  const firstPage = useRef(true);
  useEffect(() => {
    // After a navigation (not the first page, whose Tab order starts at the skip link), focus
    // moves to the new page's heading so keyboard and screen-reader users follow it.
    if (firstPage.current) firstPage.current = false;
    else document.querySelector<HTMLElement>('main h1')?.focus({ preventScroll: true });
  }, [route.join('/')]);
  return (
    <>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href={href()}>
          <span class="logo" aria-hidden="true" />
          Parlor
        </a>
        <nav aria-label="Sections">
          {NAV.map((n) => (
            <a key={n.route} href={href(...(n.route ? [n.route] : []))} aria-current={section === n.route ? 'page' : undefined}>
              {n.label}
            </a>
          ))}
        </nav>
        <div class="who">
          {session.accessKeyId ? (
            <>
              <span class="badge" title={`Signed in with ${session.accessKeyId}, region ${session.region}`}>
                {session.accessKeyId} · {session.region}
              </span>
              <button type="button" class="link" onClick={onSignOut}>
                Sign out
              </button>
            </>
          ) : (
            <span class="badge open" title="No auth file: every request is accepted">
              Open mode · {session.region}
            </span>
          )}
        </div>
      </header>
      <main id="main" class="page" tabIndex={-1}>
        <Page session={session} route={route} />
      </main>
    </>
  );
}

function Page({ session, route }: { session: Session; route: string[] }) {
  switch (route[0]) {
    case undefined:
      return <OverviewPage session={session} />;
    case 'rooms':
      if (route.length >= 3) return <RoomPage session={session} account={route[1]!} id={route[2]!} tab={route[3] === 'live' ? 'live' : 'settings'} />;
      return <RoomsPage session={session} />;
    case 'logging':
      return <LoggingPage session={session} account={route[1]} id={route[2]} />;
    default:
      return (
        <section>
          <h1 tabIndex={-1}>Page not found</h1>
          <p>
            There is no page at <code>{location.hash}</code>. <a href={href()}>Go to the overview</a>.
          </p>
        </section>
      );
  }
}
