/**
 * Sign-in (enforced mode): an access key id and secret from the auth file, and the region to
 * act in. The pair is checked with one signed ListRooms before it is kept: an unknown key or
 * a wrong secret is refused here; a key whose policy denies ListRooms still signs in (its
 * signature is good) and meets AccessDeniedException where it acts.
 */
import { ListRoomsCommand } from '@aws-sdk/client-ivschat';
import { useEffect, useState } from 'preact/hooks';
import { describeError, type ShownError } from '../api/errors';
import type { ServerInfo } from '../api/server-info';
import { makeSession, rememberSignIn, type Session } from '../api/session';
import { ErrorBox } from '../ui/error-box';
import { fieldId, TextField } from '../ui/field';
import { SubmitButton } from '../ui/submit-button';

export function SignInPage({ info, onSignedIn }: { info: ServerInfo; onSignedIn: (s: Session) => void }) {
  const [accessKeyId, setAccessKeyId] = useState('');
  const [secretAccessKey, setSecret] = useState('');
  const [region, setRegion] = useState(info.region);
  const [error, setError] = useState<ShownError | undefined>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    document.getElementById(fieldId('accessKeyId'))?.focus();
  }, []);

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    const credentials = { accessKeyId: accessKeyId.trim(), secretAccessKey };
    const session = makeSession(info, credentials, region.trim() || info.region);
    try {
      await session.ivs.send(new ListRoomsCommand({ maxResults: 1 }));
    } catch (err) {
      const shown = describeError(err);
      if (shown.name !== 'AccessDeniedException') {
        setError(shown);
        setBusy(false);
        return;
      }
    }
    rememberSignIn(credentials, session.region);
    onSignedIn(session);
  };

  return (
    <main class="page narrow sign-in">
      <div class="card">
        <h1 tabIndex={-1}>
          <span class="logo" aria-hidden="true" /> Sign in to Parlor
        </h1>
        <p class="muted">
          This server checks every request against its auth file. Sign in with an access key from it; the console signs each call with the key
          and keeps it for this tab only.
        </p>
        <form onSubmit={submit}>
          <TextField label="Access key ID" name="accessKeyId" value={accessKeyId} onInput={setAccessKeyId} required autoComplete="username" />
          <TextField label="Secret access key" name="secretAccessKey" type="password" value={secretAccessKey} onInput={setSecret} required autoComplete="current-password" />
          <TextField label="Region" name="region" value={region} onInput={setRegion} hint={`Rooms are kept apart per region; this server's default is ${info.region}.`} />
          <ErrorBox error={error} title="Sign-in failed" />
          <SubmitButton busy={busy} label="Sign in" busyLabel="Signing in…" />
        </form>
      </div>
    </main>
  );
}
