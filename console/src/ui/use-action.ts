/**
 * One user action that calls the server (save, create, send, …): busy while it runs, the
 * server's error kept to be shown when it fails, a dated notice when it succeeds.
 */
import { useState } from 'preact/hooks';
import { describeError, type ShownError } from '../api/errors';
import { formatClock } from './format';

export interface Action {
  readonly error: ShownError | undefined;
  readonly notice: string | undefined;
  readonly busy: boolean;
  /** Runs `f`; `done` (e.g. "Saved") becomes the notice, with the time, when it succeeds. */
  run(f: () => Promise<void>, done?: string): Promise<void>;
  clear(): void;
}

export function useAction(): Action {
  const [error, setError] = useState<ShownError | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  return {
    error,
    notice,
    busy,
    async run(f, done) {
      setBusy(true);
      setError(undefined);
      setNotice(undefined);
      try {
        await f();
        if (done) setNotice(`${done} at ${formatClock(new Date())}`);
      } catch (err) {
        setError(describeError(err));
      } finally {
        setBusy(false);
      }
    },
    clear() {
      setError(undefined);
      setNotice(undefined);
    },
  };
}
